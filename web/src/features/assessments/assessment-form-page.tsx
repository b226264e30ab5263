import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Select, Skeleton, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  useAssessmentCatalogue,
  useAssessmentScheme,
  useCreateAssessment,
  useUpdateAssessment,
  type AssessmentCatalogueEntry,
  type AssessmentScheme,
  type AssessmentSchemeBody,
} from '../../api/assessments';
import { ApiError, errorMessage } from '../../api/client';
import { useSampleSurveys } from '../../api/sample-surveys';
import { usePageTitle } from '../../components/use-page-title';
import { DIRECTION_LABELS } from './assessment-labels';

interface ItemValues {
  /** `source:code` of a catalogue entry. */
  key?: string;
  perFamily?: boolean;
  weight?: number;
  direction: 'higher' | 'lower';
  floor?: number;
  target?: number;
}
interface FormValues {
  name: string;
  year: number;
  surveyId?: string;
  items: ItemValues[];
  deduct: boolean;
  pointsPerEvent?: number;
  maxPoints?: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const EMPTY_ITEM: ItemValues = { direction: 'higher', floor: 0, target: 100 };

function toValues(s: AssessmentScheme): FormValues {
  const d = s.deductions.find((x) => x.kind === 'province_petition');
  return {
    name: s.name,
    year: s.year,
    surveyId: s.surveyId ?? undefined,
    items: s.items.map((it) => ({
      key: `${it.source}:${it.code}`,
      perFamily: it.perFamily ?? false,
      weight: it.weight,
      direction: it.direction,
      floor: it.floor,
      target: it.target,
    })),
    deduct: !!d,
    pointsPerEvent: d?.pointsPerEvent ?? 5,
    maxPoints: d?.maxPoints ?? null,
  };
}

function toBody(v: FormValues): Omit<AssessmentSchemeBody, 'regionCode'> {
  return {
    name: v.name,
    year: v.year,
    surveyId: v.surveyId ?? null,
    items: v.items.map((it) => {
      const [source, code] = (it.key ?? ':').split(':') as ['indicator' | 'survey', string];
      return {
        source,
        code,
        ...(it.perFamily ? { perFamily: true } : {}),
        weight: it.weight ?? 0,
        direction: it.direction,
        floor: it.floor ?? 0,
        target: it.target ?? 0,
      };
    }),
    deductions: v.deduct
      ? [{ kind: 'province_petition', pointsPerEvent: v.pointsPerEvent ?? 0, maxPoints: v.maxPoints ?? null }]
      : [],
  };
}

/** A server refusal's fields put back on the form (`items.2.target` on that item's target); the rest for an alert. */
function placeErrors(form: ReturnType<typeof Form.useForm<FormValues>>[0], err: unknown): string | null {
  if (!(err instanceof ApiError) || err.details.length === 0) return errorMessage(err);
  const unplaced: string[] = [];
  const fields: Array<{ name: (string | number)[]; errors: string[] }> = [];
  for (const d of err.details) {
    const parts = d.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (parts.length === 1 && ['name', 'year', 'surveyId'].includes(String(parts[0])))
      fields.push({ name: parts, errors: [d.message] });
    else if (parts.length === 3 && parts[0] === 'items') {
      const field = parts[2] === 'code' || parts[2] === 'source' ? 'key' : parts[2];
      fields.push({ name: ['items', parts[1], field], errors: [d.message] });
    } else unplaced.push(d.message);
  }
  form.setFields(fields as Parameters<typeof form.setFields>[0]);
  return unplaced.length ? unplaced.join('；') : fields.length ? null : errorMessage(err);
}

function ItemRow({
  name,
  catalogue,
  onRemove,
}: {
  name: number;
  catalogue: AssessmentCatalogueEntry[];
  onRemove?: () => void;
}) {
  const form = Form.useFormInstance<FormValues>();
  const key = Form.useWatch(['items', name, 'key'], form);
  const entry = catalogue.find((c) => `${c.source}:${c.code}` === key);
  const options = [
    {
      label: '统计报表指标',
      options: catalogue
        .filter((c) => c.source === 'indicator')
        .map((c) => ({ value: `${c.source}:${c.code}`, label: `${c.name}（${c.unit || '—'}）` })),
    },
    {
      label: '抽样调查指标',
      options: catalogue
        .filter((c) => c.source === 'survey')
        .map((c) => ({ value: `${c.source}:${c.code}`, label: `${c.name}（${c.unit}）` })),
    },
  ];
  return (
    <Card size="small" data-testid="assessment-item" style={{ background: '#fafafa' }}>
      <Flex wrap gap={12} align="flex-start">
        <Form.Item
          name={[name, 'key']}
          label="指标"
          rules={[{ required: true, message: '请选择指标' }]}
          style={{ flex: '1 1 260px', minWidth: 0, marginBottom: 8 }}
        >
          <Select showSearch optionFilterProp="label" options={options} placeholder="从统计报表或抽样调查中选择" />
        </Form.Item>
        <Form.Item
          name={[name, 'weight']}
          label="权重"
          rules={[{ required: true, message: '请填写权重' }]}
          style={{ marginBottom: 8 }}
        >
          <InputNumber min={0.01} max={100} step={5} style={{ width: 90 }} />
        </Form.Item>
        <Form.Item name={[name, 'direction']} label="方向" style={{ marginBottom: 8 }}>
          <Select
            style={{ width: 110 }}
            options={Object.entries(DIRECTION_LABELS).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item
          name={[name, 'floor']}
          label="起评值（0 分）"
          rules={[{ required: true, message: '请填写起评值' }]}
          style={{ marginBottom: 8 }}
        >
          <InputNumber style={{ width: 110 }} />
        </Form.Item>
        <Form.Item
          name={[name, 'target']}
          label="目标值（满分）"
          rules={[{ required: true, message: '请填写目标值' }]}
          style={{ marginBottom: 8 }}
        >
          <InputNumber style={{ width: 110 }} />
        </Form.Item>
        {entry?.source === 'indicator' && entry.kind !== 'rate' && (
          <Form.Item name={[name, 'perFamily']} valuePropName="checked" label="折算" style={{ marginBottom: 8 }}>
            <Checkbox>按在册家庭折算为百分比</Checkbox>
          </Form.Item>
        )}
        {onRemove && (
          <Form.Item label=" " style={{ marginBottom: 8 }}>
            <Button danger icon={<DeleteOutlined />} onClick={onRemove} aria-label="删除此指标">
              删除
            </Button>
          </Form.Item>
        )}
      </Flex>
    </Card>
  );
}

/** 新建/修改考核方案: indicators from the catalogue, weights summing to 100, linear rules, the petition deduction. */
export default function AssessmentFormPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  usePageTitle(id ? '修改考核方案' : '新建考核方案');
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const catalogue = useAssessmentCatalogue();
  const existing = useAssessmentScheme(id);
  const surveys = useSampleSurveys();
  const create = useCreateAssessment();
  const update = useUpdateAssessment(id ?? '');
  const [error, setError] = useState<string | null>(null);
  const thisYear = new Date().getFullYear();
  const items = Form.useWatch('items', form) as ItemValues[] | undefined;
  const deduct = Form.useWatch('deduct', form) as boolean | undefined;
  const year = Form.useWatch('year', form) as number | undefined;
  const sum = round2((items ?? []).reduce((s, it) => s + (Number(it?.weight) || 0), 0));
  const initial = useMemo<FormValues>(
    () => ({
      name: `${Number(params.get('year')) || thisYear} 年度目标责任考核`,
      year: Number(params.get('year')) || thisYear,
      items: [
        { key: 'indicator:home_visit_rate', weight: 60, direction: 'higher', floor: 60, target: 95 },
        { ...EMPTY_ITEM, key: 'indicator:families_both_posts', perFamily: true, weight: 40, floor: 80, target: 100 },
      ],
      deduct: true,
      pointsPerEvent: 5,
      maxPoints: 20,
    }),
    [params, thisYear],
  );
  if (id && existing.isPending) return <Skeleton active />;
  if (id && existing.isError) return <Alert type="error" showIcon title={errorMessage(existing.error)} />;
  if (existing.data && !existing.data.abilities.edit)
    return <Alert type="warning" showIcon title="该考核方案已发布或不由本级制定，不能修改" />;

  async function submit(v: FormValues) {
    setError(null);
    if (Math.abs(sum - 100) > 1e-6) {
      setError(`各项权重之和应为 100，现为 ${sum}`);
      return;
    }
    try {
      const body = toBody(v);
      const saved = existing.data
        ? await update.mutateAsync({ ...body, version: existing.data.version })
        : await create.mutateAsync(body);
      message.success(existing.data ? '已保存考核方案' : '已新建考核方案');
      navigate(`/assessments/${saved.id}`);
    } catch (err) {
      setError(placeErrors(form, err));
    }
  }

  const yearSurveys = (surveys.data ?? []).filter((s) => !year || s.year === year);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {id ? '修改考核方案' : '新建考核方案'}
      </Typography.Title>
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={existing.data ? toValues(existing.data) : initial}
        onFinish={(v) => void submit(v)}
        data-testid="assessment-form"
      >
        <Card size="small" title="方案">
          <Flex wrap gap={16}>
            <Form.Item
              name="name"
              label="方案名称"
              rules={[{ required: true, whitespace: true, message: '请填写方案名称' }]}
              style={{ flex: '1 1 260px', minWidth: 0 }}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="year" label="考核年度" rules={[{ required: true, message: '请填写年度' }]}>
              <InputNumber min={2016} max={thisYear} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item
              name="surveyId"
              label="抽样调查"
              extra="含抽样调查指标时必选，须覆盖本方案的区划"
              style={{ flex: '1 1 220px', minWidth: 0 }}
            >
              <Select
                allowClear
                placeholder="不使用抽样调查"
                options={yearSurveys.map((s) => ({
                  value: s.id,
                  label: `${s.year} 年 ${s.regionName}（样本 ${s.sampleSize}）`,
                }))}
              />
            </Form.Item>
          </Flex>
        </Card>
        <Card
          size="small"
          title="考核指标"
          style={{ marginTop: 12 }}
          extra={
            <Typography.Text data-testid="weight-sum" type={Math.abs(sum - 100) > 1e-6 ? 'danger' : 'success'} strong>
              权重合计 {sum} / 100
            </Typography.Text>
          }
        >
          <Typography.Paragraph type="secondary">
            每项得分在起评值（0
            分）与目标值（满分，即该项权重）之间按线性计算，超出两端按两端计；越低越好的指标目标值小于起评值。
          </Typography.Paragraph>
          {catalogue.isPending ? (
            <Skeleton active />
          ) : (
            <Form.List name="items">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8}>
                  {fields.map((f) => (
                    <ItemRow
                      key={f.key}
                      name={f.name}
                      catalogue={catalogue.data ?? []}
                      onRemove={fields.length > 1 ? () => remove(f.name) : undefined}
                    />
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ ...EMPTY_ITEM })} style={{ alignSelf: 'start' }}>
                    添加指标
                  </Button>
                </Flex>
              )}
            </Form.List>
          )}
          {Math.abs(sum - 100) > 1e-6 && (
            <Typography.Paragraph type="danger" style={{ marginTop: 8, marginBottom: 0 }}>
              各项权重之和应为 100，现为 {sum}
            </Typography.Paragraph>
          )}
        </Card>
        <Card size="small" title="扣分项" style={{ marginTop: 12 }}>
          <Form.Item name="deduct" valuePropName="checked" style={{ marginBottom: 8 }}>
            <Checkbox>省级及以上（含进京）信访扣分</Checkbox>
          </Form.Item>
          {deduct && (
            <Flex wrap gap={16}>
              <Form.Item name="pointsPerEvent" label="每件扣分" rules={[{ required: true, message: '请填写每件扣分' }]}>
                <InputNumber min={0.5} max={100} step={0.5} style={{ width: 110 }} />
              </Form.Item>
              <Form.Item name="maxPoints" label="扣分上限" extra="留空为不设上限">
                <InputNumber min={1} max={100} style={{ width: 110 }} />
              </Form.Item>
            </Flex>
          )}
        </Card>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="form-error" />}
        <Flex gap={8} style={{ marginTop: 12 }} wrap>
          <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
            保存方案
          </Button>
          <Button onClick={() => navigate(id ? `/assessments/${id}` : '/assessments')}>取消</Button>
        </Flex>
      </Form>
    </Flex>
  );
}
