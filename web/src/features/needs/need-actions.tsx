import { lazy, Suspense, useState } from 'react';
import { Button, Space, Tag } from 'antd';
import type { Need, NeedStatus } from '../../api/needs';
import { ACTION_LABELS, actionsFor, NEED_STATUS_COLORS, NEED_STATUS_LABELS, type NeedAction } from './need-flow';

// The dialog brings a form and a date picker: loaded when a cadre acts, not with the list.
const NeedActionModal = lazy(() => import('./need-action-modal').then((m) => ({ default: m.NeedActionModal })));

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
