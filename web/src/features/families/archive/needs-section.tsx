import { Tag, Typography } from 'antd';
import { useFamilyNeeds, type Need } from '../../../api/families';
import { DEPARTMENT_LABELS, formatDate, NEED_CATEGORY_LABELS } from '../family-labels';
import { RecordList, SectionCard } from './family-sections';
import { label, Loaded } from './related-sections';

const NEED_STATUS: Record<string, [string, string]> = {
  open: ['待办理', 'orange'],
  referred: ['已转办', 'blue'],
  in_progress: ['办理中', 'blue'],
  resolved: ['已解决', 'green'],
  unresolvable: ['无法解决', 'default'],
};

export function NeedsSection({ familyId }: { familyId: string }) {
  const needs = useFamilyNeeds(familyId);
  return (
    <SectionCard id="needs" title="诉求">
      <Loaded query={needs} isEmpty={(data) => data.length === 0} empty="暂无诉求">
        {(data) => (
          <RecordList
            items={data.map((n: Need) => {
              const [text, color] = NEED_STATUS[n.status] ?? [n.status, 'default'];
              return {
                key: n.id,
                title: (
                  <>
                    <Typography.Text strong>{label(NEED_CATEGORY_LABELS, n.category)}</Typography.Text>
                    <Tag color={color}>{text}</Tag>
                    {n.isOverdue && <Tag color="red">已超期</Tag>}
                    <span>{n.description}</span>
                  </>
                ),
                detail: `${label(DEPARTMENT_LABELS, n.department)}办理，期限 ${formatDate(n.deadline)}`,
              };
            })}
          />
        )}
      </Loaded>
    </SectionCard>
  );
}
