import { Tag, Typography } from 'antd';
import { useFamilyEvents, type MajorEvent } from '../../../api/families';
import { EVENT_KIND_LABELS, formatDateTime } from '../family-labels';
import { RecordList, SectionCard } from './family-sections';
import { label, Loaded } from './related-sections';

const EVENT_STATUS: Record<string, [string, string]> = {
  open: ['待响应', 'red'],
  responded: ['已走访', 'blue'],
  closed: ['已结案', 'default'],
};

export function EventsSection({ familyId }: { familyId: string }) {
  const events = useFamilyEvents(familyId);
  return (
    <SectionCard id="events" title="重大情况">
      <Loaded query={events} isEmpty={(data) => data.length === 0} empty="暂无重大情况">
        {(data) => (
          <RecordList
            items={data.map((e: MajorEvent) => {
              const [text, color] = EVENT_STATUS[e.status] ?? [e.status, 'default'];
              return {
                key: e.id,
                title: (
                  <>
                    <Typography.Text strong>{label(EVENT_KIND_LABELS, e.kind)}</Typography.Text>
                    <span>{formatDateTime(e.occurredAt)}</span>
                    <Tag color={color}>{text}</Tag>
                    {e.escalationLevel > 0 && (
                      <Tag color="volcano">已上报{e.escalationLevel === 1 ? '乡镇' : '县级'}</Tag>
                    )}
                  </>
                ),
                detail: [
                  e.respondedAt
                    ? `已于 ${formatDateTime(e.respondedAt)} 走访`
                    : `应于 ${formatDateTime(e.responseDueAt)} 前走访`,
                  e.description,
                ]
                  .filter(Boolean)
                  .join('；'),
              };
            })}
          />
        )}
      </Loaded>
    </SectionCard>
  );
}
