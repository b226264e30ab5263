import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Collapse, Flex, Skeleton, Tag, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from '../../../api/client';
import { useFamilyAssignments, useFamilyContactLogs, type Assignments, type ContactLog } from '../../../api/families';
import { CONTACT_MODE_LABELS, DIRECTION_LABELS, formatDate, formatDateTime, POST_LABELS } from '../family-labels';
import { NoneYet, RecordList, SectionCard } from './family-sections';

export const label = (labels: Record<string, string>, code: string | null | undefined) =>
  code ? (labels[code] ?? code) : '—';

/** Loading, failure and "nothing yet" the same way in every related section. */
export function Loaded<T>({
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
      extra={<Link to={`/families/${familyId}/contacts`}>联系人安排 / 联系卡</Link>}
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
