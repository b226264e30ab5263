import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert, Flex, Skeleton, Tag, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import { isApiError, errorMessage } from '../../api/client';
import { useAssignments } from '../../api/contacts';
import { useContactLogs, useVisitFamily, type ContactLog } from '../../api/contact-logs';
import { useTodos } from '../../api/todos';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { usePageTitle } from '../../components/use-page-title';
import { FamilyHeader, parentNames } from './family-header';
import { Panel } from './panel';
import { QuickActions } from './quick-actions';
import { formatDayTime } from './visit-dates';
import { CONTACT_MODE_LABELS, labelOf, MENTAL_STATE_LABELS, POST_SHORT_LABELS } from './visit-labels';
import { CAN_LOG_VISIT } from './visit-roles';
import { defaultContactId, loggableContacts, VisitForm } from './visit-form';
import { outboxContents } from '../../offline/sync';
import type { OutboxEntry } from '../../offline/outbox';
import './visit.css';

const RECENT_LOGS = 3;

function RecentLogs({ logs }: { logs: ContactLog[] }) {
  if (logs.length === 0) return null;
  return (
    <Panel title="最近联系">
      {logs.slice(0, RECENT_LOGS).map((log) => {
        const condition = [log.health, log.mentalState && `精神状态${labelOf(MENTAL_STATE_LABELS, log.mentalState)}`]
          .filter(Boolean)
          .join('；');
        return (
          <div key={log.id} className="visit-log">
            <Flex gap={8} align="center" wrap>
              <Typography.Text strong>{labelOf(CONTACT_MODE_LABELS, log.mode)}</Typography.Text>
              <Typography.Text type="secondary">{formatDayTime(log.occurredAt)}</Typography.Text>
              {log.direction === 'family_initiated' && <Tag style={{ marginInlineEnd: 0 }}>家庭主动</Tag>}
            </Flex>
            <Typography.Text type="secondary">
              {log.contactName} · {labelOf(POST_SHORT_LABELS, log.contactPost)}
              {log.isOnBehalf ? ' · 代登记' : ''}
            </Typography.Text>
            {condition && <div>{condition}</div>}
          </div>
        );
      })}
    </Panel>
  );
}

/** What brought the user here: the family's open items from 我的待办 (already loaded on the home page). */
function FamilyTodos({ familyId }: { familyId: string }) {
  const todos = useTodos();
  const mine = todos.data?.filter((t) => t.familyId === familyId && t.kind !== 'visit_due') ?? [];
  if (mine.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 12 }}
      title={mine.map((t) => (
        <div key={`${t.kind}:${t.dueAt}`}>
          {t.title}：{t.detail}（期限 {formatDayTime(t.dueAt)}）
        </div>
      ))}
    />
  );
}

/** 登记联系记录: the phone form a contact opens from 我的待办 (R4), with the other reports below it. */
/**
 * `?fix=<id>`: a refused queued record of this family, of any kind, to be corrected (from 待同步): a contact
 * log in the visit form, the other kinds in their drawer below it (features/offline/correction.tsx).
 */
function useFixing(familyId: string): { loading: boolean; entry: OutboxEntry | undefined } {
  const [params] = useSearchParams();
  const fixId = params.get('fix');
  const [found, setFound] = useState<{ id: string; entry: OutboxEntry | undefined } | null>(null);
  useEffect(() => {
    if (!fixId) return;
    let live = true;
    void outboxContents().then(({ entries }) => {
      if (live)
        setFound({
          id: fixId,
          entry: entries.find((e) => e.id === fixId && e.familyId === familyId && e.status === 'refused'),
        });
    });
    return () => {
      live = false;
    };
  }, [fixId, familyId]);
  if (!fixId) return { loading: false, entry: undefined };
  return { loading: found?.id !== fixId, entry: found?.id === fixId ? found.entry : undefined };
}

export default function VisitPage() {
  const { familyId = '' } = useParams();
  const fixing = useFixing(familyId);
  const user = useCurrentUser();
  const family = useVisitFamily(familyId);
  const assignments = useAssignments(familyId);
  const logs = useContactLogs(familyId);
  usePageTitle(family.data ? `走访 ${parentNames(family.data)}` : '登记走访');

  const back = (
    <LinkButton to="/" type="link" icon={<LeftOutlined />} style={{ paddingInline: 0, marginBottom: 8 }}>
      返回我的待办
    </LinkButton>
  );

  if (!CAN_LOG_VISIT.includes(user.role)) {
    return (
      <Alert
        type="info"
        showIcon
        title="联系记录由联系人和村、乡镇工作人员登记"
        description={<Link to={`/families/${familyId}`}>查看家庭档案</Link>}
      />
    );
  }

  if (family.isError) {
    return (
      <>
        {back}
        <Alert
          type="error"
          showIcon
          title={isApiError(family.error, 'NOT_FOUND') ? '未找到该家庭，或该家庭不由您联系' : '家庭信息加载失败'}
          description={isApiError(family.error, 'NOT_FOUND') ? undefined : errorMessage(family.error)}
        />
      </>
    );
  }

  const contacts = assignments.data ? loggableContacts(user.role, assignments.data.current) : [];
  const fixingLog = fixing.entry?.kind === 'contact_log' ? fixing.entry : undefined;
  return (
    <div style={{ maxWidth: 640, margin: '0 auto' }}>
      {back}
      {family.data ? (
        <FamilyHeader family={family.data} logs={logs.data} logsUnavailable={logs.isError} />
      ) : (
        <Skeleton active />
      )}
      <FamilyTodos familyId={familyId} />
      <Panel title="登记联系记录" style={{ marginTop: 12 }}>
        {assignments.isError ? (
          <Alert type="error" showIcon title={errorMessage(assignments.error)} />
        ) : !family.data || !assignments.data || fixing.loading ? (
          <Skeleton active paragraph={{ rows: 6 }} />
        ) : (
          <VisitForm
            key={fixingLog?.id ?? 'new'}
            family={family.data}
            role={user.role}
            contacts={contacts}
            fixing={fixingLog}
          />
        )}
      </Panel>
      {family.data && assignments.data && !fixing.loading && (
        <QuickActions
          key={fixing.entry?.id ?? 'new'}
          fixing={fixingLog ? undefined : fixing.entry}
          familyId={familyId}
          contactId={defaultContactId(user.role, contacts)}
          role={user.role}
          isExited={family.data.status === 'exited'}
        />
      )}
      {logs.data && (
        <div style={{ marginTop: 12 }}>
          <RecentLogs logs={logs.data} />
        </div>
      )}
    </div>
  );
}
