import { useState } from 'react';
import { Alert, App, Form, Input, Typography } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { useReportPetitionRisk, type PetitionRiskCreate } from '../../api/petitions';
import { applyServerErrors } from '../../components/form-errors';
import { ActionDrawer, type ActionDrawerProps } from './action-drawer';
import { ChipSelect } from './chip-group';
import { formatDayTime, todayLocal } from './visit-dates';
import { optionsOf, RISK_LEVEL_LABELS, TARGET_LEVEL_LABELS, type RiskLevel, type TargetLevel } from './visit-labels';
import { isQueued, QUEUED_MESSAGE } from '../../offline/sync';
import { bodyText, RefusedNotice, useCorrection } from '../offline/correction';

const FIELDS = ['targetLevel', 'scope', 'riskLevel', 'signals', 'reviewDate'] as const;

interface RiskValues {
  targetLevel: TargetLevel | null;
  scope: 'individual' | 'group';
  riskLevel: RiskLevel | null;
  signals?: string;
  reviewDate?: string;
}

const SCOPE_OPTIONS = [
  { value: 'individual' as const, label: '个人' },
  { value: 'group' as const, label: '群体' },
];
const RISK_OPTIONS = optionsOf(RISK_LEVEL_LABELS).map((o) => ({ ...o, label: `${o.label}风险` }));

/** 信访苗头 (R7): a prompt home visit is then due; province level and up, or red, alerts the county leader. */
/** The form's values from a queued record's body (correcting a refused record). */
function riskValuesOf(body: Record<string, unknown>): RiskValues {
  return {
    targetLevel: (bodyText(body, 'targetLevel') as TargetLevel | undefined) ?? null,
    scope: bodyText(body, 'scope') === 'group' ? 'group' : 'individual',
    riskLevel: (bodyText(body, 'riskLevel') as RiskLevel | undefined) ?? null,
    signals: bodyText(body, 'signals'),
    reviewDate: bodyText(body, 'reviewDate'),
  };
}

export default function PetitionRiskDrawer({ familyId, onClose, fixing }: ActionDrawerProps) {
  const [form] = Form.useForm<RiskValues>();
  const report = useReportPetitionRisk(familyId);
  const correction = useCorrection(fixing);
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const targetLevel = Form.useWatch('targetLevel', form);
  const riskLevel = Form.useWatch('riskLevel', form);
  const alertsLeader =
    riskLevel === 'red' || targetLevel === 'province' || targetLevel === 'out_of_province' || targetLevel === 'beijing';

  const onFinish = (values: RiskValues) => {
    if (!values.targetLevel || !values.riskLevel || !values.signals) return;
    setError(null);
    const input: PetitionRiskCreate = {
      targetLevel: values.targetLevel,
      scope: values.scope,
      riskLevel: values.riskLevel,
      signals: values.signals.trim(),
      reviewDate: values.reviewDate || null,
    };
    const summary = `信访苗头：${RISK_LEVEL_LABELS[input.riskLevel]}`;
    if (correction.resend(input, summary)) return;
    report.mutate(
      { ...input, summary },
      {
        onSuccess: (risk) => {
          if (isQueued(risk)) {
            message.info(QUEUED_MESSAGE, 4);
            onClose();
            return;
          }
          message.success(`已登记信访苗头，请于 ${formatDayTime(risk.visitDueAt)} 前登门了解情况`, 6);
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <ActionDrawer
      title="登记信访苗头"
      submitText="登记"
      onClose={onClose}
      onSubmit={() => form.submit()}
      loading={report.isPending || correction.saving}
      error={error}
    >
      <RefusedNotice entry={fixing} />
      <Typography.Paragraph type="secondary">
        发现家庭有上访倾向时登记，须及时登门了解情况、帮助解决、疏导化解。信访信息仅限有关人员查看。
      </Typography.Paragraph>
      <Form<RiskValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={onFinish}
        initialValues={fixing ? riskValuesOf(fixing.body) : { targetLevel: null, scope: 'individual', riskLevel: null }}
      >
        <Form.Item name="targetLevel" label="可能去往" rules={[{ required: true, message: '请选择信访倾向层级' }]}>
          <ChipSelect aria-label="可能去往" options={optionsOf(TARGET_LEVEL_LABELS)} columns={3} required />
        </Form.Item>
        <Form.Item name="scope" label="个人或群体">
          <ChipSelect aria-label="个人或群体" options={SCOPE_OPTIONS} columns={2} required />
        </Form.Item>
        <Form.Item name="riskLevel" label="风险等级" rules={[{ required: true, message: '请选择风险等级' }]}>
          <ChipSelect aria-label="风险等级" options={RISK_OPTIONS} columns={2} required />
        </Form.Item>
        {alertsLeader && (
          <Alert
            type="warning"
            showIcon
            title="到省及以上或红色风险，提交后会立即提醒县级分管领导"
            style={{ marginBottom: 16 }}
          />
        )}
        <Form.Item
          name="signals"
          label="发现的苗头"
          rules={[{ required: true, whitespace: true, message: '请填写发现的苗头' }]}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={LIMITS.longText} />
        </Form.Item>
        <Form.Item name="reviewDate" label="复查日期（选填）">
          <Input type="date" min={todayLocal()} />
        </Form.Item>
      </Form>
    </ActionDrawer>
  );
}
