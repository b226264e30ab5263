import { useState } from 'react';
import { Alert, Button, Skeleton, Timeline, Typography } from 'antd';
import { errorMessage } from '../../../api/client';
import { useFamilyHistory, type HistoryEntry } from '../../../api/families';
import { formatDateTime, HISTORY_ACTION_LABELS, historyFieldLabel, historyValue } from '../family-labels';
import { NoneYet, SectionCard } from './family-sections';

const SHOWN_CHANGES = 6;
const HIDDEN_ON_CREATE = new Set(['archiveNo', 'status', 'members.mother.relation', 'members.father.relation']);

interface ChangeProps {
  path: string;
  before: unknown;
  after: unknown;
  isCreate: boolean;
  regionNames: Record<string, string>;
}

function Change({ path, before, after, isCreate, regionNames }: ChangeProps) {
  return (
    <li>
      <Typography.Text type="secondary">{historyFieldLabel(path)}：</Typography.Text>
      {isCreate || before === null || before === undefined ? (
        historyValue(path, after, regionNames)
      ) : (
        <>
          <Typography.Text delete type="secondary">
            {historyValue(path, before, regionNames)}
          </Typography.Text>
          {' → '}
          {historyValue(path, after, regionNames)}
        </>
      )}
    </li>
  );
}

function EntryBody({ entry, regionNames }: { entry: HistoryEntry; regionNames: Record<string, string> }) {
  const [expanded, setExpanded] = useState(false);
  const isCreate = entry.action === 'create';
  const changes = Object.entries(entry.changes).filter(([path]) => !(isCreate && HIDDEN_ON_CREATE.has(path)));
  const shown = expanded ? changes : changes.slice(0, SHOWN_CHANGES);
  return (
    <>
      <div>
        <Typography.Text strong>{HISTORY_ACTION_LABELS[entry.action] ?? entry.action}</Typography.Text>
        <Typography.Text type="secondary">
          {' '}
          · {formatDateTime(entry.occurredAt)} · {entry.actorName ?? '系统'}
        </Typography.Text>
      </div>
      {changes.length > 0 && (
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, wordBreak: 'break-all' }}>
          {shown.map(([path, [before, after]]) => (
            <Change
              key={path}
              path={path}
              before={before}
              after={after}
              isCreate={isCreate}
              regionNames={regionNames}
            />
          ))}
        </ul>
      )}
      {changes.length > SHOWN_CHANGES && (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setExpanded((v) => !v)}>
          {expanded ? '收起' : `展开全部 ${changes.length} 项`}
        </Button>
      )}
    </>
  );
}

/** 变更历史: who changed what, from what to what (sensitive values masked by the server). */
export function HistorySection({ familyId, regionNames }: { familyId: string; regionNames: Record<string, string> }) {
  const history = useFamilyHistory(familyId);
  let body: React.ReactNode;
  if (history.isPending) body = <Skeleton active paragraph={{ rows: 3 }} />;
  else if (history.isError) body = <Alert type="error" showIcon title={errorMessage(history.error)} />;
  else if (history.data.length === 0) body = <NoneYet text="暂无变更记录" />;
  else {
    const newestFirst = [...history.data].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
    body = (
      <Timeline
        style={{ marginTop: 8 }}
        items={newestFirst.map((entry) => ({
          key: entry.id,
          color: entry.action === 'create' ? 'green' : entry.action === 'status' ? 'orange' : 'blue',
          content: <EntryBody entry={entry} regionNames={regionNames} />,
        }))}
      />
    );
  }
  return (
    <SectionCard id="history" title="变更历史">
      {body}
    </SectionCard>
  );
}
