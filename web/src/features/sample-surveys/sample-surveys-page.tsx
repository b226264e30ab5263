import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, InputNumber, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useNavigate } from 'react-router';
import dayjs from 'dayjs';
import { errorMessage } from '../../api/client';
import { useDrawSurvey, useSampleSurveys, type DrawInput, type SampleSurveyDraw } from '../../api/sample-surveys';
import { useCurrentUser } from '../../app/auth-context';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';
import { FAMILY_TYPE_LABELS } from './survey-labels';

type Stratum = SampleSurveyDraw['strata'][number];
interface FormValues {
  year: number;
  frameDate: string;
  seed: string;
  ratePercent: number;
  q: number;
  minPerCounty: number;
}
const FIELDS = ['year', 'frameDate', 'seed', 'rate', 'q', 'minPerCounty'];

/** The allocation per county and family type, as the province checks it before drawing. */
export function AllocationTable({ strata }: { strata: Stratum[] }) {
  const columns: TableColumnsType<Stratum> = [
    { title: '县（市、区）', dataIndex: 'regionName', key: 'region' },
    { title: '家庭类别', key: 'type', render: (_, s) => FAMILY_TYPE_LABELS[s.familyType] },
    { title: '家庭数 N', dataIndex: 'population', key: 'population', align: 'right' },
    { title: '配额', key: 'quota', align: 'right', render: (_, s) => s.quota.toFixed(3) },
    { title: '样本数 n', dataIndex: 'sample', key: 'sample', align: 'right' },
  ];
  return (
    <Table
      rowKey={(s) => `${s.regionCode}|${s.familyType}`}
      size="small"
      columns={columns}
      dataSource={strata}
      pagination={strata.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 480 }}
      data-testid="allocation-table"
    />
  );
}

function DrawCard() {
  const [form] = Form.useForm<FormValues>();
  const navigate = useNavigate();
  const drawSurvey = useDrawSurvey();
  const [preview, setPreview] = useState<SampleSurveyDraw | null>(null);
  const [error, setError] = useState<string | null>(null);
  const today = dayjs().format('YYYY-MM-DD');

  async function run(dryRun: boolean) {
    setError(null);
    const v = await form.validateFields();
    const input: DrawInput = {
      year: v.year,
      frameDate: v.frameDate,
      seed: v.seed,
      rate: Number((v.ratePercent / 100).toFixed(6)),
      q: v.q,
      minPerCounty: v.minPerCounty,
      dryRun,
    };
    try {
      const d = await drawSurvey.mutateAsync(input);
      if (dryRun) setPreview(d);
      else navigate(`/sample-surveys/${d.id}`);
    } catch (err) {
      setError(applyServerErrors(form, err, FIELDS));
    }
  }

  return (
    <Card title="抽取本年度样本" data-testid="draw-card">
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          year: dayjs().year(),
          frameDate: today,
          seed: '',
          ratePercent: 1,
          q: 0.5,
          minPerCounty: 1,
        }}
        onValuesChange={() => setPreview(null)}
      >
        <Flex wrap gap={16}>
          <Form.Item name="year" label="调查年度" rules={[{ required: true, message: '请填写年度' }]}>
            <InputNumber min={2016} max={2099} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item
            name="frameDate"
            label="抽样框日期"
            extra="当日在册的特殊家庭构成抽样框"
            rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: '日期格式为 YYYY-MM-DD' }]}
          >
            <Input type="date" max={today} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item name="ratePercent" label="抽样比例（%）" rules={[{ required: true, message: '请填写抽样比例' }]}>
            <InputNumber min={0.01} max={20} step={0.1} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="q" label="幂指数 q" extra="1 按家庭数成比例，0 各层等量">
            <InputNumber min={0} max={1} step={0.1} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="minPerCounty" label="每县最少">
            <InputNumber min={0} max={100} style={{ width: 100 }} />
          </Form.Item>
        </Flex>
        <Form.Item
          name="seed"
          label="随机种子"
          extra="公开记录的任意文字（如会议当场抽取的号码），同一抽样框和种子总能重现同一样本"
          rules={[
            { required: true, whitespace: true, message: '请填写随机种子' },
            { max: 200, message: '随机种子不能超过 200 个字' },
          ]}
        >
          <Input maxLength={200} placeholder="例如：2026年11月28日省卫健委会议现场抽取 3857" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Flex gap={8} wrap>
        <Button onClick={() => void run(true)} loading={drawSurvey.isPending && !preview}>
          预览分配
        </Button>
        <Button
          type="primary"
          disabled={!preview}
          onClick={() => void run(false)}
          loading={drawSurvey.isPending && !!preview}
        >
          确认抽取
        </Button>
      </Flex>
      {preview && (
        <Flex vertical gap={12} style={{ marginTop: 16 }} data-testid="allocation-preview">
          <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} bordered>
            <Descriptions.Item label="抽样框家庭数">{preview.frameSize}</Descriptions.Item>
            <Descriptions.Item label="样本量">{preview.sampleSize}</Descriptions.Item>
            <Descriptions.Item label="分层数">{preview.strata.length}</Descriptions.Item>
            <Descriptions.Item label="分配方法">{preview.allocationRule}</Descriptions.Item>
            <Descriptions.Item label="随机数算法">
              {preview.prng}（{preview.prngVersion}）
            </Descriptions.Item>
            <Descriptions.Item label="抽样框摘要（SM3）">
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {preview.frameDigest}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <AllocationTable strata={preview.strata} />
        </Flex>
      )}
    </Card>
  );
}

/** 抽样调查 (R16): the province draws the year's sample; everyone surveying sees the surveys they take part in. */
export default function SampleSurveysPage() {
  usePageTitle('抽样调查');
  const user = useCurrentUser();
  const list = useSampleSurveys();
  const canDraw = user.abilities.includes('sampleSurvey.draw');
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        抽样调查
      </Typography.Title>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Card title="历次调查" size="small">
        <Table
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={list.data ?? []}
          pagination={false}
          scroll={{ x: 480 }}
          locale={{ emptyText: '还没有抽样调查' }}
          columns={[
            {
              title: '年度',
              dataIndex: 'year',
              key: 'year',
              render: (y, s) => <Link to={`/sample-surveys/${s.id}`}>{y} 年</Link>,
            },
            { title: '范围', dataIndex: 'regionName', key: 'region' },
            { title: '抽样框日期', dataIndex: 'frameDate', key: 'frameDate' },
            { title: '抽样框', dataIndex: 'frameSize', key: 'frameSize', align: 'right' },
            { title: '样本', dataIndex: 'sampleSize', key: 'sampleSize', align: 'right' },
            {
              title: '',
              key: 'calls',
              render: (_, s) =>
                user.abilities.includes('sampleSurvey.survey') ? (
                  <Link to={`/sample-surveys/${s.id}/calls`}>我的访问</Link>
                ) : null,
            },
          ]}
        />
      </Card>
      {canDraw && <DrawCard />}
    </Flex>
  );
}
