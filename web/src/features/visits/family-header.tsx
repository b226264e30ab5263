import { Flex, Skeleton, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ContactLog, VisitFamily } from '../../api/contact-logs';
import { Panel } from './panel';
import { daysAgo, formatDay } from './visit-dates';
import { FAMILY_TYPE_LABELS } from './visit-labels';

/** The parents in the archive's order, as 我的待办 names the family. */
export function parentNames(family: VisitFamily): string {
  return family.members.map((m) => (m.isDeceased ? `${m.name}（已故）` : m.name)).join('、');
}

function LastHomeVisit({ logs, unavailable }: { logs: ContactLog[] | undefined; unavailable?: boolean }) {
  if (!logs && unavailable) return <Typography.Text type="secondary">离线：联网后显示以往的联系记录</Typography.Text>;
  if (!logs) return <Skeleton.Input active size="small" />;
  const last = logs.find((log) => log.mode === 'home_visit');
  if (!last) {
    return (
      <Tag color="red" style={{ marginInlineEnd: 0 }}>
        尚无登门走访记录
      </Tag>
    );
  }
  const thisMonth = dayjs(last.occurredAt).isSame(dayjs(), 'month');
  const days = daysAgo(last.occurredAt);
  return (
    <Flex wrap gap={8} align="center">
      <Typography.Text>
        上次登门：{formatDay(last.occurredAt)}
        {days > 0 ? `（${days} 天前）` : '（今天）'}
      </Typography.Text>
      {thisMonth ? (
        <Tag color="green" style={{ marginInlineEnd: 0 }}>
          本月已登门
        </Tag>
      ) : (
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          本月待走访
        </Tag>
      )}
    </Flex>
  );
}

export function FamilyHeader({
  family,
  logs,
  logsUnavailable,
}: {
  family: VisitFamily;
  logs: ContactLog[] | undefined;
  /** The logs could not be loaded (no signal). */
  logsUnavailable?: boolean;
}) {
  return (
    <Panel>
      <Flex justify="space-between" align="start" gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="visit-family-name">
          {parentNames(family) || family.archiveNo}
        </Typography.Title>
        <Flex gap={4} wrap justify="end">
          <Tag style={{ marginInlineEnd: 0 }}>{FAMILY_TYPE_LABELS[family.familyType]}</Tag>
          {family.isSpecialDifficulty && (
            <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
              特殊困难
            </Tag>
          )}
        </Flex>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
        {family.regionName} · 档案号 {family.archiveNo}
      </Typography.Paragraph>
      <LastHomeVisit logs={logs} unavailable={logsUnavailable} />
    </Panel>
  );
}
