import { useState } from 'react';
import { App, Form, Input, Typography } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { useReportEvent, type MajorEventCreate } from '../../api/events';
import { applyServerErrors } from '../../components/form-errors';
import { ActionDrawer, type ActionDrawerProps } from './action-drawer';
import { ChipSelect } from './chip-group';
import { formatDayTime, isFuture, isoToLocalMinute, localMinuteToIso, nowLocalMinute } from './visit-dates';
import { AFFECTED_LABELS, EVENT_KIND_LABELS, optionsOf, type Affected, type EventKind } from './visit-labels';
import { isQueued, QUEUED_MESSAGE } from '../../offline/sync';
import { bodyText, RefusedNotice, useCorrection } from '../offline/correction';

const FIELDS = ['kind', 'affectedRelation', 'affected', 'occurredAt', 'description'] as const;

interface EventValues {
  kind: EventKind | null;
  affectedRelation: Affected;
  affected?: string;
  occurredAt: string;
  description?: string;
}

/** 报告重大情况 (R5): the family's contacts then owe a home visit by the deadline. */
/** The form's values from a queued record's body (correcting a refused record). */
function eventValuesOf(body: Record<string, unknown>): EventValues {
  return {
    kind: (bodyText(body, 'kind') as EventKind | undefined) ?? null,
    affectedRelation: (bodyText(body, 'affectedRelation') as Affected | undefined) ?? 'family',
    affected: bodyText(body, 'affected'),
    occurredAt: isoToLocalMinute(body.occurredAt) ?? nowLocalMinute(),
    description: bodyText(body, 'description'),
  };
}

export default function EventDrawer({ familyId, onClose, fixing }: ActionDrawerProps) {
  const [form] = Form.useForm<EventValues>();
  const report = useReportEvent(familyId);
  const correction = useCorrection(fixing);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = (values: EventValues) => {
    const occurredAt = localMinuteToIso(values.occurredAt);
    if (!values.kind || !occurredAt) return;
    setError(null);
    const input: MajorEventCreate = {
      kind: values.kind,
      affectedRelation: values.affectedRelation,
      affected: values.affected?.trim() || null,
      occurredAt,
      description: values.description?.trim() || null,
    };
    const summary = `重大情况：${EVENT_KIND_LABELS[input.kind]}`;
    if (correction.resend(input, summary)) return;
    report.mutate(
      { ...input, summary },
      {
        onSuccess: (event) => {
          if (isQueued(event)) {
            message.info(QUEUED_MESSAGE, 4);
            onClose();
            return;
          }
          message.success(`已报告重大情况，请于 ${formatDayTime(event.responseDueAt)} 前登门走访`, 6);
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <ActionDrawer
      title="报告重大情况"
      submitText="报告"
      onClose={onClose}
      onSubmit={() => form.submit()}
      loading={report.isPending || correction.saving}
      error={error}
    >
      <RefusedNotice entry={fixing} />
      <Typography.Paragraph type="secondary">
        家庭遭遇意外、重病、受灾或有人亡故时报告，联系人须在期限内登门走访，逾期会逐级上报。
      </Typography.Paragraph>
      <Form<EventValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={
          fixing ? eventValuesOf(fixing.body) : { kind: null, affectedRelation: 'family', occurredAt: nowLocalMinute() }
        }
      >
        <Form.Item name="kind" label="情况类别" rules={[{ required: true, message: '请选择情况类别' }]}>
          <ChipSelect aria-label="情况类别" options={optionsOf(EVENT_KIND_LABELS)} columns={2} required />
        </Form.Item>
        <Form.Item name="affectedRelation" label="涉及谁">
          <ChipSelect aria-label="涉及谁" options={optionsOf(AFFECTED_LABELS)} columns={4} required />
        </Form.Item>
        <Form.Item name="affected" label="涉及人员（选填）">
          <Input maxLength={LIMITS.shortText} placeholder="姓名或说明" />
        </Form.Item>
        <Form.Item
          name="occurredAt"
          label="发生时间"
          rules={[
            { required: true, message: '请填写发生时间' },
            {
              validator: (_, value: string) =>
                isFuture(value) ? Promise.reject(new Error('发生时间不能晚于现在')) : Promise.resolve(),
            },
          ]}
        >
          <Input type="datetime-local" max={nowLocalMinute()} />
        </Form.Item>
        <Form.Item name="description" label="已知情况">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={LIMITS.longText} />
        </Form.Item>
      </Form>
    </ActionDrawer>
  );
}
