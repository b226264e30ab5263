import { useState } from 'react';
import { Alert, App, Modal, Typography } from 'antd';
import { STATUS_REASON } from '../../../../../common/code-lists';
import { errorMessage, isApiError } from '../../../api/client';
import { useConfirmDeath, type MajorEvent } from '../../../api/events';
import type { FamilyDetail, Relation } from '../../../api/families';
import { formatDate, formatDateTime, RELATION_LABELS } from '../family-labels';
import { CONFLICT_MESSAGE } from './status-rules';

/**
 * What confirming will do to the archive, worked out as families.service recordDeath does it: the parent is
 * marked deceased on the event's date; when no living parent is left, the archive exits.
 */
function consequences(family: FamilyDetail, relation: Relation, event: MajorEvent): string[] {
  const member = family.members.find((m) => m.relation === relation);
  if (!member) return [];
  const who = `${RELATION_LABELS[relation]}${member.name}`;
  const lines = [`${who}标记为已故，死亡日期记为 ${formatDate(event.occurredAt)}（报告的发生日期）。`];
  const others = family.members.filter((m) => m.relation !== relation);
  const living = others.filter((m) => !m.isDeceased);
  if (family.status === 'exited') lines.push('档案已退出，状态不变。');
  else if (living.length === 0)
    lines.push(
      `${others.length ? `${others.map((m) => `${RELATION_LABELS[m.relation]}${m.name}`).join('、')}已故，` : '档案中没有其他父母，'}` +
        `父母均已亡故：档案将自动退出（原因：${STATUS_REASON.both_parents_deceased}），此后不再列入走访和特别扶助。`,
    );
  else
    lines.push(
      `${living.map((m) => `${RELATION_LABELS[m.relation]}${m.name}`).join('、')}健在，档案继续在册；特别扶助此后只计在世的父母。`,
    );
  lines.push('变更记入档案变更历史；如有误，须编辑档案更正。');
  return lines;
}

/** 确认亡故: a reported death of a parent, confirmed by village or township staff, updates the archive. */
export function EventDeathModal({
  event,
  relation,
  family,
  onClose,
  onConflict,
}: {
  event: MajorEvent;
  relation: Relation;
  family: FamilyDetail;
  onClose: () => void;
  /** Reloads the events: the dialog then carries the current version. */
  onConflict: () => void;
}) {
  const confirm = useConfirmDeath();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const lines = consequences(family, relation, event);
  const member = family.members.find((m) => m.relation === relation);

  const onOk = () => {
    setError(null);
    confirm.mutate(
      { id: event.id, version: event.version },
      {
        onSuccess: () => {
          message.success('已确认亡故，档案已更新');
          onClose();
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT')) {
            setError(`${CONFLICT_MESSAGE}。已载入最新情况，请核对后再确认。`);
            onConflict();
            return;
          }
          setError(errorMessage(err));
        },
      },
    );
  };

  return (
    <Modal
      open
      title="确认亡故"
      okText="确认亡故"
      okButtonProps={{ danger: true, disabled: !member || event.deathConfirmedAt !== null }}
      onOk={onOk}
      onCancel={onClose}
      confirmLoading={confirm.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {formatDateTime(event.occurredAt)} 报告{RELATION_LABELS[relation]}亡故。请核实后确认。
      </Typography.Paragraph>
      {event.deathConfirmedAt ? (
        <Alert type="info" showIcon title={`已于 ${formatDateTime(event.deathConfirmedAt)} 确认，档案已更新`} />
      ) : member ? (
        <Alert
          type="warning"
          showIcon
          title="确认后，档案将这样更新："
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="death-consequences">
              {lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          }
        />
      ) : (
        <Alert
          type="error"
          showIcon
          title={`档案中没有${RELATION_LABELS[relation]}的信息，无法确认；请先核对档案或报告内容。`}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 16 }} />}
    </Modal>
  );
}
