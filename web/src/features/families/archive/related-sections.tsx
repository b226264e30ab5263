import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Collapse, Flex, Skeleton, Space, Tag, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from '../../../api/client';
import {
  useFamilyAssignments,
  useFamilyContactLogs,
  useFamilyEvents,
  useFamilyNeeds,
  useFamilyPetitionRisks,
  type Assignments,
  type ContactLog,
  type MajorEvent,
  type Need,
} from '../../../api/families';
import {
  CONTACT_MODE_LABELS,
  DEPARTMENT_LABELS,
  DIRECTION_LABELS,
  EVENT_KIND_LABELS,
  formatDate,
  formatDateTime,
  NEED_CATEGORY_LABELS,
  POST_LABELS,
  RISK_LEVEL_LABELS,
  TARGET_LEVEL_LABELS,
} from '../family-labels';
import { NoneYet, RecordList, SectionCard } from './family-sections';

const label = (labels: Record<string, string>, code: string | null | undefined) =>
  code ? (labels[code] ?? code) : '—';

/** Loading, failure and "nothing yet" the same way in every related section. */
function Loaded<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty: (data: T) => boolean;
  empty: string;
  children: (data: T) => React.ReactNode;
}) {
  if (query.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error)} />;
  if (isEmpty(query.data)) return <NoneYet text={empty} />;
  return <>{children(query.data)}</>;
}

export function ContactsSection({ familyId }: { familyId: string }) {
  const assignments = useFamilyAssignments(familyId);
  const posts = new Set(assignments.data?.current.map((a) => a.post));
  const ended = assignments.data?.history.filter((h) => h.endedAt) ?? [];
  return (
    <SectionCard
      id="contacts"
      title="联系人"
      extra={
        <Link to={`/families/${familyId}/contacts`} aria-label="联系人安排和联系卡">
          联系人安排 / 联系卡
        </Link>
      }
    >
      <Loaded query={assignments} isEmpty={() => false} empty="">
        {(data) => (
          <Flex vertical gap={12}>
            {(!posts.has('township_cadre') || !posts.has('village_cadre')) && (
              <Alert
                type="warning"
                showIcon
                title={`未落实双岗：缺少${[
                  !posts.has('township_cadre') ? '乡镇（街道）包村干部' : null,
                  !posts.has('village_cadre') ? '村（居）委会干部' : null,
                ]
                  .filter(Boolean)
                  .join('、')}`}
              />
            )}
            {data.current.length > 0 && (
              <RecordList
                items={data.current.map((a: Assignments['current'][number]) => ({
                  key: a.id,
                  title: (
                    <>
                      <Typography.Text type="secondary">{label(POST_LABELS, a.post)}</Typography.Text>
                      <Typography.Text strong>{a.name}</Typography.Text>
                      <span style={{ fontFamily: 'monospace' }}>{a.phone}</span>
                      {a.isMine && <Tag color="blue">我</Tag>}
                    </>
                  ),
                  detail: [[a.organization, a.title].filter(Boolean).join(' '), `${formatDate(a.startedAt)}起联系`]
                    .filter(Boolean)
                    .join('；'),
                }))}
              />
            )}
            {ended.length > 0 && (
              <Collapse
                size="small"
                items={[
                  {
                    key: 'history',
                    label: `以往联系人（${ended.length}）`,
                    children: (
                      <RecordList
                        items={ended.map((h) => ({
                          key: h.id,
                          title: `${label(POST_LABELS, h.post)}：${h.name}`,
                          detail: `${formatDate(h.startedAt)} 至 ${formatDate(h.endedAt)}${h.endReason ? `，${h.endReason}` : ''}`,
                        }))}
                      />
                    ),
                  },
                ]}
              />
            )}
          </Flex>
        )}
      </Loaded>
    </SectionCard>
  );
}

const RECENT_LOGS = 5;

function logSummary(log: ContactLog): string {
  return [log.health && `身体：${log.health}`, log.demands && `诉求：${log.demands}`, log.notes && `备注：${log.notes}`]
    .filter(Boolean)
    .join('；');
}

export function ContactLogsSection({ familyId, canLog }: { familyId: string; canLog: boolean }) {
  const logs = useFamilyContactLogs(familyId);
  const [showAll, setShowAll] = useState(false);
  return (
    <SectionCard
      id="contact-logs"
      title="联系记录"
      extra={canLog && <Link to={`/visits/${familyId}`}>登记走访 / 联系</Link>}
    >
      <Loaded query={logs} isEmpty={(data) => data.length === 0} empty="暂无联系记录">
        {(data) => {
          const homeVisits = data.filter((l) => l.mode === 'home_visit');
          const shown = showAll ? data : data.slice(0, RECENT_LOGS);
          return (
            <>
              <Typography.Paragraph type="secondary">
                共 {data.length} 条，其中登门走访 {homeVisits.length} 次
                {homeVisits[0] ? `，最近一次 ${formatDate(homeVisits[0].occurredAt)}` : '，尚无登门走访'}
              </Typography.Paragraph>
              <RecordList
                items={shown.map((log) => ({
                  key: log.id,
                  title: (
                    <>
                      <Typography.Text strong>{formatDateTime(log.occurredAt)}</Typography.Text>
                      <Tag color={log.mode === 'home_visit' ? 'green' : 'blue'}>
                        {label(CONTACT_MODE_LABELS, log.mode)}
                      </Tag>
                      {log.direction === 'family_initiated' && (
                        <Tag color="gold">{label(DIRECTION_LABELS, log.direction)}</Tag>
                      )}
                      <Typography.Text type="secondary">
                        {log.contactName}（{label(POST_LABELS, log.contactPost)}）{log.isOnBehalf ? '，代录' : ''}
                      </Typography.Text>
                    </>
                  ),
                  detail: logSummary(log) || undefined,
                }))}
              />
              {data.length > RECENT_LOGS && (
                <Button type="link" onClick={() => setShowAll((v) => !v)} style={{ padding: 0 }}>
                  {showAll ? '只看最近几条' : `查看全部 ${data.length} 条`}
                </Button>
              )}
            </>
          );
        }}
      </Loaded>
    </SectionCard>
  );
}

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

const RISK_COLORS: Record<string, string> = { blue: 'blue', yellow: 'gold', orange: 'orange', red: 'red' };
const PETITION_FORMS: Record<string, string> = { visit: '走访', letter: '来信', online: '网上', phone: '电话' };

/** Need-to-know (R7): shown only when the server answers; other roles get 404 and see no section at all. */
export function PetitionSection({ familyId }: { familyId: string }) {
  const petitions = useFamilyPetitionRisks(familyId);
  if (petitions.isPending || petitions.data === null) return null;
  return (
    <SectionCard id="petitions" title="信访苗头">
      <Loaded
        query={petitions}
        isEmpty={(data) => !data || (data.risks.length === 0 && data.events.length === 0)}
        empty="暂无信访苗头"
      >
        {(data) =>
          data && (
            <Flex vertical gap={12}>
              {data.risks.map((risk) => (
                <Flex key={risk.id} vertical gap={4}>
                  <Space size={6} wrap>
                    <Tag color={RISK_COLORS[risk.riskLevel]}>{label(RISK_LEVEL_LABELS, risk.riskLevel)}风险</Tag>
                    <span>{label(TARGET_LEVEL_LABELS, risk.targetLevel)}</span>
                    <span>{risk.scope === 'group' ? '群访' : '个访'}</span>
                    <Tag color={risk.status === 'resolved' ? 'green' : 'orange'}>
                      {risk.status === 'resolved' ? '已化解' : '跟进中'}
                    </Tag>
                  </Space>
                  <Typography.Text>{risk.signals}</Typography.Text>
                  <Typography.Text type="secondary">
                    发现于 {formatDateTime(risk.identifiedAt)}；
                    {risk.visitedAt
                      ? `已于 ${formatDateTime(risk.visitedAt)} 走访`
                      : `应于 ${formatDateTime(risk.visitDueAt)} 前走访`}
                  </Typography.Text>
                </Flex>
              ))}
              {data.events.length > 0 && (
                <RecordList
                  items={data.events.map((e) => ({
                    key: e.id,
                    title: (
                      <>
                        <Typography.Text strong>信访事件</Typography.Text>
                        <span>{formatDate(e.occurredOn)}</span>
                        <span>{label(TARGET_LEVEL_LABELS, e.level)}</span>
                        <span>{label(PETITION_FORMS, e.form)}</span>
                        <span>{e.size} 人</span>
                      </>
                    ),
                    detail: e.outcome ?? undefined,
                  }))}
                />
              )}
            </Flex>
          )
        }
      </Loaded>
    </SectionCard>
  );
}
