import { useState } from 'react';
import { App, Form, Input, Typography } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { useRecordFestivalCare, type FestivalCareCreate, type FestivalDate } from '../../api/festivals';
import { applyServerErrors } from '../../components/form-errors';
import { ActionDrawer, type ActionDrawerProps } from './action-drawer';
import { ChipSelect } from './chip-group';
import { formatDay, todayLocal } from './visit-dates';
import { CARE_MANNER_LABELS, optionsOf, type CareManner } from './visit-labels';
import { isQueued, QUEUED_MESSAGE } from '../../offline/sync';
import { bodyText, RefusedNotice, useCorrection } from '../offline/correction';

const FIELDS = ['manner', 'amount', 'goods', 'caredOn', 'outsideWindowReason', 'note'] as const;

interface CareValues {
  manner: CareManner | null;
  amount?: string;
  goods?: string;
  caredOn: string;
  outsideWindowReason?: string;
  note?: string;
}

/** The form's values from a queued record's body (correcting a refused record). */
function careValuesOf(body: Record<string, unknown>): CareValues {
  return {
    manner: (bodyText(body, 'manner') as CareManner | undefined) ?? null,
    amount: typeof body.amount === 'number' ? String(body.amount) : undefined,
    goods: bodyText(body, 'goods'),
    caredOn: bodyText(body, 'caredOn') ?? todayLocal(),
    outsideWindowReason: bodyText(body, 'outsideWindowReason'),
    note: bodyText(body, 'note'),
  };
}

/** 节日慰问 (R6) while a festival's care window is open; "family declined" is an outcome of its own. */
export default function FestivalCareDrawer({
  familyId,
  contactId,
  festival,
  isLate = false,
  onClose,
  fixing,
}: ActionDrawerProps & { festival: FestivalDate; isLate?: boolean }) {
  const [form] = Form.useForm<CareValues>();
  const record = useRecordFestivalCare(familyId);
  const correction = useCorrection(fixing);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const manner = Form.useWatch('manner', form);
  const caredOn = Form.useWatch('caredOn', form);
  const isOutside = !!caredOn && (caredOn < festival.windowFrom || caredOn > festival.windowTo);

  const onFinish = (values: CareValues) => {
    if (!values.manner) return;
    setError(null);
    const amount = values.amount ? Number.parseInt(values.amount, 10) : null;
    const input: FestivalCareCreate = {
      year: Number(festival.date.slice(0, 4)),
      festival: festival.festival,
      manner: values.manner,
      amount: Number.isFinite(amount) ? amount : null,
      goods: values.goods?.trim() || null,
      caredOn: values.caredOn,
      // Corrected: as the record was made (the contact it was logged as), not as the page now suggests.
      contactId: fixing ? (bodyText(fixing.body, 'contactId') ?? null) : contactId,
      outsideWindowReason: isOutside ? values.outsideWindowReason?.trim() || null : null,
      note: values.note?.trim() || null,
    };
    const summary = `${festival.label}慰问`;
    if (correction.resend(input, summary)) return;
    record.mutate(
      { ...input, summary },
      {
        onSuccess: (care) => {
          if (isQueued(care)) {
            message.info(QUEUED_MESSAGE, 4);
            onClose();
            return;
          }
          message.success(values.manner === 'declined' ? '已记录：家庭婉拒慰问' : `已记录${festival.label}慰问`);
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <ActionDrawer
      title={`${festival.label}慰问`}
      submitText="记录慰问"
      onClose={onClose}
      onSubmit={() => form.submit()}
      loading={record.isPending || correction.saving}
      error={error}
    >
      <RefusedNotice entry={fixing} />
      <Typography.Paragraph type="secondary">
        慰问期 {formatDay(festival.windowFrom)} 至 {formatDay(festival.windowTo)}
        {isLate ? '，已过：补记慰问请写明慰问日期和未在慰问期内慰问的原因。' : '。'}
        按家庭愿意接受的方式慰问；家庭婉拒的，也请如实记录。
      </Typography.Paragraph>
      <Form<CareValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={fixing ? careValuesOf(fixing.body) : { manner: null, caredOn: todayLocal() }}
      >
        <Form.Item name="manner" label="慰问方式" rules={[{ required: true, message: '请选择慰问方式' }]}>
          <ChipSelect aria-label="慰问方式" options={optionsOf(CARE_MANNER_LABELS)} columns={2} required />
        </Form.Item>
        {(manner === 'money' || manner === 'goods') && (
          <Form.Item
            name="amount"
            label={manner === 'money' ? '慰问金（元）' : '慰问品价值（元，选填）'}
            rules={[{ pattern: /^\d{1,7}$/, message: '请填写整数金额' }]}
          >
            <Input type="number" inputMode="numeric" min={0} step={1} />
          </Form.Item>
        )}
        {manner === 'goods' && (
          <Form.Item name="goods" label="慰问品">
            <Input maxLength={LIMITS.shortText} placeholder="如：米、油、月饼" />
          </Form.Item>
        )}
        <Form.Item name="caredOn" label="慰问日期" rules={[{ required: true, message: '请填写慰问日期' }]}>
          <Input type="date" max={todayLocal()} />
        </Form.Item>
        {isOutside && (
          <Form.Item
            name="outsideWindowReason"
            label="不在慰问期内的原因"
            rules={[{ required: true, whitespace: true, message: '慰问日期不在慰问期内，请说明原因' }]}
          >
            <Input maxLength={LIMITS.shortText} />
          </Form.Item>
        )}
        <Form.Item name="note" label="备注">
          <Input maxLength={LIMITS.shortText} />
        </Form.Item>
      </Form>
    </ActionDrawer>
  );
}
