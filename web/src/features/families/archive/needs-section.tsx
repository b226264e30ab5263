import { Tag, Typography } from 'antd';
import { useFamilyNeeds } from '../../../api/families';
import { useCurrentUser } from '../../../app/auth-context';
import { NeedActions, NeedStatusTag } from '../../needs/need-actions';
import { NEED_WRITERS } from '../../needs/need-flow';
import { DEPARTMENT_LABELS, formatDate, NEED_CATEGORY_LABELS } from '../family-labels';
import { RecordList, SectionCard } from './family-sections';
import { label, Loaded } from './related-sections';

/** The family's needs (R11) with the same next steps as the 诉求办理 page. */
export function NeedsSection({ familyId }: { familyId: string }) {
  const needs = useFamilyNeeds(familyId);
  const canAct = NEED_WRITERS.includes(useCurrentUser().role);
  return (
    <SectionCard id="needs" title="诉求">
      <Loaded query={needs} isEmpty={(data) => data.length === 0} empty="暂无诉求">
        {(data) => (
          <RecordList
            items={data.map((n) => ({
              key: n.id,
              title: (
                <>
                  <Typography.Text strong>{label(NEED_CATEGORY_LABELS, n.category)}</Typography.Text>
                  <NeedStatusTag status={n.status} />
                  {n.isOverdue && <Tag color="red">已超期</Tag>}
                  <span>{n.description}</span>
                </>
              ),
              detail: (
                <>
                  {`${label(DEPARTMENT_LABELS, n.department)}办理，期限 ${formatDate(n.deadline)}`}
                  {n.status === 'resolved' &&
                    `；办理结果：${n.resolution ?? '—'}${n.confirmedWithFamilyAt ? '（已与家庭确认）' : ''}`}
                  {n.status === 'unresolvable' && `；无法解决：${n.statusReason ?? '—'}`}{' '}
                  {canAct && <NeedActions need={n} />}
                </>
              ),
            }))}
          />
        )}
      </Loaded>
    </SectionCard>
  );
}
