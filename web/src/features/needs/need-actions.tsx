import { lazy, Suspense, useState } from 'react';
import { Button, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { Need, NeedStatus } from '../../api/needs';
import { codeLabel } from '../families/family-labels';
import {
  ACTION_LABELS,
  actionsFor,
  DEPARTMENT_LABELS,
  NEED_STATUS_COLORS,
  NEED_STATUS_LABELS,
  type NeedAction,
} from './need-flow';

// The dialog brings a form and a date picker: loaded when a cadre acts, not with the list.
const NeedActionModal = lazy(() => import('./need-action-modal').then((m) => ({ default: m.NeedActionModal })));

// Columns every table of needs shows the same way (the needs list, a joint meeting's agenda).
export const DEPARTMENT_COLUMN: TableColumnsType<Need>[number] = {
  title: '责任部门',
  dataIndex: 'department',
  key: 'department',
  render: (d: string) => codeLabel(DEPARTMENT_LABELS, d),
};

export const DESCRIPTION_COLUMN: TableColumnsType<Need>[number] = {
  title: '诉求内容',
  dataIndex: 'description',
  key: 'description',
  render: (text: string) => (
    <Typography.Paragraph ellipsis={{ rows: 2, tooltip: text }} style={{ margin: 0, maxWidth: 220 }}>
      {text}
    </Typography.Paragraph>
  ),
};

export function NeedStatusTag({ status }: { status: NeedStatus }) {
  return <Tag color={NEED_STATUS_COLORS[status]}>{NEED_STATUS_LABELS[status] ?? status}</Tag>;
}

/** The next steps a need's status allows, each opening the same dialog; nothing for a closed need. */
export function NeedActions({ need }: { need: Need }) {
  const [action, setAction] = useState<NeedAction | null>(null);
  const actions = actionsFor(need);
  if (!actions.length) return null;
  return (
    <>
      <Space size={0} wrap role="group" aria-label="办理">
        {actions.map((a) => (
          <Button
            key={a}
            type="link"
            size="small"
            danger={a === 'unresolvable'}
            autoInsertSpace={false}
            onClick={() => setAction(a)}
            style={{ paddingInline: 4 }}
          >
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </Space>
      <Suspense fallback={null}>
        {action && <NeedActionModal need={need} action={action} onClose={() => setAction(null)} />}
      </Suspense>
    </>
  );
}
