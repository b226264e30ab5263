import { lazy, Suspense, useState } from 'react';
import { Button, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, FileDoneOutlined } from '@ant-design/icons';
import { useFamily, useFamilyEvents, type FamilyDetail, type MajorEvent, type Relation } from '../../../api/families';
import { useCurrentUser } from '../../../app/auth-context';
import { AFFECTED_LABELS } from '../../visits/visit-labels';
import {
  DEATH_CONFIRMERS,
  ESCALATION_LABELS,
  EVENT_KIND_LABELS,
  EVENT_WRITERS,
  formatDateTime,
  RELATION_LABELS,
} from '../family-labels';
import { RecordList, SectionCard } from './family-sections';
import { label, Loaded } from './related-sections';

// Forms load when a dialog opens, not with the archive.
const EventCloseModal = lazy(() => import('./event-close-modal').then((m) => ({ default: m.EventCloseModal })));
const EventDeathModal = lazy(() => import('./event-death-modal').then((m) => ({ default: m.EventDeathModal })));

const EVENT_STATUS: Record<MajorEvent['status'], [string, string]> = {
  open: ['待走访', 'red'],
  responded: ['已走访', 'blue'],
  closed: ['已结案', 'default'],
};

/** Only a parent's death changes the archive, so only that is confirmed (events.service confirmDeath). */
function deceasedRelation(event: MajorEvent): Relation | null {
  return event.kind === 'death' && (event.affectedRelation === 'father' || event.affectedRelation === 'mother')
    ? event.affectedRelation
    : null;
}

/** Who the event is about: 父亲 刘某国, or what the reporter wrote. */
function affectedText(event: MajorEvent, family: FamilyDetail | undefined): string | null {
  const relation = event.affectedRelation;
  if (relation === 'father' || relation === 'mother') {
    const member = family?.members.find((m) => m.relation === relation);
    return [RELATION_LABELS[relation], member?.name ?? event.affected].filter(Boolean).join(' ');
  }
  const who = relation ? label(AFFECTED_LABELS, relation) : null;
  return [who, event.affected].filter(Boolean).join(' ') || null;
}

/** What happened since the report, one line each: the visit, escalations, the follow-up, the death confirmed. */
function trail(event: MajorEvent): string[] {
  const lines: string[] = [];
  if (event.responseVisit)
    lines.push(`已于 ${formatDateTime(event.responseVisit.occurredAt)} 由${event.responseVisit.contactName}登门走访`);
  else if (event.respondedAt) lines.push(`已于 ${formatDateTime(event.respondedAt)} 登门走访`);
  else lines.push(`应于 ${formatDateTime(event.responseDueAt)} 前登门走访`);
  for (const x of event.escalations)
    lines.push(`${formatDateTime(x.escalatedAt)} 逾期未走访，上报${ESCALATION_LABELS[x.level] ?? `第 ${x.level} 级`}`);
  if (event.description) lines.push(`情况说明：${event.description}`);
  if (event.followUp) lines.push(`后续帮扶：${event.followUp}（${formatDateTime(event.closedAt)} 结案）`);
  if (event.deathConfirmedAt) lines.push(`已于 ${formatDateTime(event.deathConfirmedAt)} 确认亡故并更新档案`);
  return lines;
}

type Dialog = { action: 'close' | 'death'; eventId: string };

/** 重大情况 (R5): what was reported, who answered it and when, and — for the right roles — 结案 and 确认亡故. */
export function EventsSection({ familyId }: { familyId: string }) {
  const events = useFamilyEvents(familyId);
  // The page has loaded the archive already: this reads the same cache, for member names and the death dialog.
  const family = useFamily(familyId).data;
  const { role } = useCurrentUser();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const mayClose = EVENT_WRITERS.includes(role);
  const mayConfirm = DEATH_CONFIRMERS.includes(role);
  const current = dialog && events.data?.find((e) => e.id === dialog.eventId);
  const reload = () => void events.refetch();

  return (
    <SectionCard id="events" title="重大情况">
      <Loaded query={events} isEmpty={(data) => data.length === 0} empty="暂无重大情况">
        {(data) => (
          <RecordList
            items={data.map((e) => {
              const [text, color] = EVENT_STATUS[e.status] ?? [e.status, 'default'];
              const canClose = mayClose && e.status === 'responded';
              const canConfirm = mayConfirm && deceasedRelation(e) !== null && !e.deathConfirmedAt;
              return {
                key: e.id,
                title: (
                  <>
                    <Typography.Text strong>{label(EVENT_KIND_LABELS, e.kind)}</Typography.Text>
                    {affectedText(e, family) && <span>{affectedText(e, family)}</span>}
                    <span>{formatDateTime(e.occurredAt)}</span>
                    <Tag color={color}>{text}</Tag>
                    {e.escalationLevel > 0 && (
                      <Tag color="volcano">已上报{ESCALATION_LABELS[e.escalationLevel] ?? e.escalationLevel}</Tag>
                    )}
                    {deceasedRelation(e) && e.deathConfirmedAt && <Tag>亡故已确认</Tag>}
                  </>
                ),
                detail: (
                  <>
                    {trail(e).map((line) => (
                      <span key={line} style={{ display: 'block' }}>
                        {line}
                      </span>
                    ))}
                    {(canClose || canConfirm) && (
                      <Space wrap size={8} style={{ marginTop: 6 }}>
                        {canClose && (
                          <Button
                            size="small"
                            icon={<FileDoneOutlined />}
                            onClick={() => setDialog({ action: 'close', eventId: e.id })}
                          >
                            结案
                          </Button>
                        )}
                        {canConfirm && (
                          <Button
                            size="small"
                            danger
                            icon={<CheckCircleOutlined />}
                            onClick={() => setDialog({ action: 'death', eventId: e.id })}
                          >
                            确认亡故
                          </Button>
                        )}
                      </Space>
                    )}
                  </>
                ),
              };
            })}
          />
        )}
      </Loaded>
      <Suspense fallback={null}>
        {current && dialog.action === 'close' && (
          <EventCloseModal event={current} familyId={familyId} onClose={() => setDialog(null)} onConflict={reload} />
        )}
        {current && dialog.action === 'death' && family && deceasedRelation(current) && (
          <EventDeathModal
            event={current}
            relation={deceasedRelation(current)!}
            family={family}
            onClose={() => setDialog(null)}
            onConflict={reload}
          />
        )}
      </Suspense>
    </SectionCard>
  );
}
