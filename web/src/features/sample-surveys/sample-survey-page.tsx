import { useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Row, Select, Statistic, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link, useParams } from 'react-router';
import {
  SURVEY_FAMILY_STATUSES,
  SURVEY_FAMILY_STATUS_LABELS,
  SURVEY_INDICATORS,
  type SurveyFamilyStatus,
  type SurveyIndicator,
} from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import {
  useAssignSurveyor,
  useSampleSurvey,
  useSurveyEstimates,
  useSurveyFamilies,
  useSurveyors,
  type SampleSurvey,
  type SurveyEstimates,
  type SurveyFamily,
} from '../../api/sample-surveys';
import { useCurrentUser } from '../../app/auth-context';
import { usePageTitle } from '../../components/use-page-title';
import { ChartWithTable } from '../dashboard/chart-with-table';
import { EChart } from '../dashboard/echart';
import { AllocationTable } from './sample-surveys-page';
import { FAMILY_TYPE_LABELS, formatIndicator, indicatorLabel, percent, SurveyStatusTag } from './survey-labels';

type RegionRow = SurveyEstimates['region'];
type Child = SampleSurvey['children'][number];
const SHARES = SURVEY_INDICATORS.filter((i) => i !== 'satisfaction');

function EstimatesCard({ surveyId }: { surveyId: string }) {
  const q = useSurveyEstimates(surveyId);
  const rows: RegionRow[] = q.data ? [q.data.region, ...q.data.children] : [];
  const cell = (r: RegionRow, ind: SurveyIndicator) => {
    const e = r.indicators.find((x) => x.indicator === ind)!;
    if (e.estimate === null) return '—';
    return (
      <span>
        {formatIndicator(ind, e.estimate)}
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {formatIndicator(ind, e.ciLow)}～{formatIndicator(ind, e.ciHigh)}
        </Typography.Text>
      </span>
    );
  };
  const columns: TableColumnsType<RegionRow> = [
    { title: '地区', dataIndex: 'name', key: 'name', fixed: 'left', width: 110 },
    { title: '应答/样本', key: 'n', render: (_, r) => `${r.respondents}/${r.sampled}` },
    { title: '应答率', key: 'rr', render: (_, r) => percent(r.responseRate) },
    ...SURVEY_INDICATORS.map((ind) => ({
      title: indicatorLabel(ind),
      key: ind,
      render: (_: unknown, r: RegionRow) => cell(r, ind),
    })),
  ];
  return (
    <ChartWithTable
      title="加权估计（Horvitz–Thompson，95% 置信区间）"
      testId="survey-estimates"
      chartSpan={9}
      chart={
        q.data ? (
          <EChart
            height={320}
            label="各地加权估计图"
            option={{
              tooltip: { trigger: 'axis' },
              legend: { top: 0 },
              // Horizontal bars: the indicator names stay readable on a phone.
              grid: { left: 8, right: 16, top: 48, bottom: 24, containLabel: true },
              yAxis: { type: 'category', data: SHARES.map(indicatorLabel), inverse: true },
              xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
              series: rows.slice(0, 8).map((r) => ({
                name: r.name,
                type: 'bar',
                data: SHARES.map((ind) => {
                  const e = r.indicators.find((x) => x.indicator === ind)!.estimate;
                  return e === null ? null : Math.round(e * 1000) / 10;
                }),
              })),
            }}
          />
        ) : null
      }
      table={
        <>
          {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
          <Table
            rowKey="regionCode"
            size="small"
            loading={q.isPending}
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: '尚无应答' }}
          />
        </>
      }
    />
  );
}

function FamiliesCard({ survey }: { survey: SampleSurvey }) {
  const user = useCurrentUser();
  const { message } = App.useApp();
  const canAssign = user.abilities.includes('sampleSurvey.assign');
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<SurveyFamilyStatus | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const [surveyorId, setSurveyorId] = useState<string | undefined>();
  const families = useSurveyFamilies(survey.id, { page, pageSize: 50, status });
  const surveyors = useSurveyors(survey.id, canAssign);
  const assign = useAssignSurveyor(survey.id);

  async function doAssign(all: boolean) {
    if (!surveyorId) return;
    try {
      const r = await assign.mutateAsync(
        all ? { surveyorId, regionCode: survey.regionCode } : { surveyorId, familyIds: selected },
      );
      void message.success(`已分派 ${r.assigned} 户`);
      setSelected([]);
    } catch (err) {
      void message.error(errorMessage(err));
    }
  }

  const columns: TableColumnsType<SurveyFamily> = [
    {
      title: '档案号',
      key: 'archiveNo',
      render: (_, f) => <Link to={`/sample-surveys/${survey.id}/families/${f.familyId}`}>{f.archiveNo}</Link>,
    },
    { title: '村（居）', dataIndex: 'regionName', key: 'region' },
    { title: '类别', key: 'type', render: (_, f) => FAMILY_TYPE_LABELS[f.familyType] },
    { title: '权数', key: 'weight', align: 'right', render: (_, f) => f.weight.toFixed(2) },
    { title: '状态', key: 'status', render: (_, f) => <SurveyStatusTag status={f.status} /> },
    { title: '尝试', dataIndex: 'attempts', key: 'attempts', align: 'right' },
    { title: '调查员', key: 'surveyor', render: (_, f) => f.surveyorName ?? '未分派' },
    { title: '备注', key: 'reserve', render: (_, f) => (f.isReserve ? '递补样本' : '') },
  ];
  return (
    <Card
      title="样本家庭"
      size="small"
      extra={
        <Select<SurveyFamilyStatus>
          allowClear
          placeholder="全部状态"
          style={{ width: 120 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={SURVEY_FAMILY_STATUSES.map((value) => ({ value, label: SURVEY_FAMILY_STATUS_LABELS[value] }))}
        />
      }
    >
      {canAssign && (
        <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="assign-bar">
          <Select
            placeholder="选择调查员"
            style={{ minWidth: 200 }}
            value={surveyorId}
            onChange={setSurveyorId}
            loading={surveyors.isPending}
            options={(surveyors.data ?? []).map((s) => ({
              value: s.id,
              label: `${s.displayName}（${s.role === 'province_staff' ? '省级' : '市州'}）`,
            }))}
          />
          <Button
            disabled={!surveyorId || selected.length === 0}
            loading={assign.isPending}
            onClick={() => void doAssign(false)}
          >
            分派所选（{selected.length}）
          </Button>
          <Button disabled={!surveyorId} loading={assign.isPending} onClick={() => void doAssign(true)}>
            分派全部待访问
          </Button>
        </Flex>
      )}
      {families.isError && <Alert type="error" showIcon title={errorMessage(families.error)} />}
      <Table
        rowKey="familyId"
        size="small"
        loading={families.isPending}
        columns={columns}
        dataSource={families.data?.data ?? []}
        rowSelection={
          canAssign ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined
        }
        pagination={{
          current: page,
          pageSize: 50,
          total: families.data?.page.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        scroll={{ x: 760 }}
      />
    </Card>
  );
}

/** One survey: its recorded method, progress per city, the weighted estimates and the sampled families. */
export default function SampleSurveyPage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const q = useSampleSurvey(id);
  const s = q.data;
  usePageTitle(s ? `${s.year} 年抽样调查` : '抽样调查');
  if (q.isError) return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  if (!s) return <Card loading />;
  const p = s.progress;
  const childColumns: TableColumnsType<Child> = [
    { title: '地区', dataIndex: 'name', key: 'name' },
    { title: '样本', dataIndex: 'sampled', key: 'sampled', align: 'right' },
    { title: '已访问', dataIndex: 'reached', key: 'reached', align: 'right' },
    { title: '待访问', dataIndex: 'pending', key: 'pending', align: 'right' },
    { title: '拒访', dataIndex: 'refused', key: 'refused', align: 'right' },
    { title: '无法联系', dataIndex: 'unreachable', key: 'unreachable', align: 'right' },
    { title: '递补', dataIndex: 'replacements', key: 'replacements', align: 'right' },
    { title: '应答率', key: 'rr', align: 'right', render: (_, c) => percent(c.responseRate) },
  ];
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {s.year} 年抽样调查
        </Typography.Title>
        <Flex gap={8} wrap>
          {user.abilities.includes('sampleSurvey.survey') && (
            <Link to={`/sample-surveys/${s.id}/calls`}>我的电话访问</Link>
          )}
          <Link to="/sample-surveys">返回列表</Link>
        </Flex>
      </Flex>
      <Row gutter={[12, 12]} data-testid="survey-progress">
        {(
          [
            ['样本', p.sampled],
            ['已访问', p.reached],
            ['待访问', p.pending],
            ['拒访', p.refused],
            ['无法联系', p.unreachable],
            ['递补', p.replacements],
          ] as const
        ).map(([label, value]) => (
          <Col key={label} xs={8} sm={6} md={3}>
            <Card size="small">
              <Statistic title={label} value={value} />
            </Card>
          </Col>
        ))}
        <Col xs={8} sm={6} md={3}>
          <Card size="small">
            <Statistic
              title="应答率"
              value={p.responseRate === null ? '—' : (p.responseRate * 100).toFixed(1)}
              suffix={p.responseRate === null ? '' : '%'}
            />
          </Card>
        </Col>
      </Row>
      <EstimatesCard surveyId={s.id} />
      <Card title="各地进度" size="small">
        <Table
          rowKey="regionCode"
          size="small"
          columns={childColumns}
          dataSource={s.children}
          pagination={false}
          scroll={{ x: 640 }}
        />
      </Card>
      <FamiliesCard survey={s} />
      <Card title="抽样方法（可据此重现样本）" size="small">
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} bordered>
          <Descriptions.Item label="抽样框日期">{s.frameDate}</Descriptions.Item>
          <Descriptions.Item label="抽样框家庭数">{s.frameSize}</Descriptions.Item>
          <Descriptions.Item label="样本量">{s.sampleSize}</Descriptions.Item>
          <Descriptions.Item label="抽样比例">{percent(s.rate, 2)}</Descriptions.Item>
          <Descriptions.Item label="幂指数 q">{s.q}</Descriptions.Item>
          <Descriptions.Item label="每县最少">{s.minPerCounty}</Descriptions.Item>
          <Descriptions.Item label="分配方法">{s.allocationRule}（县 × 家庭类别分层）</Descriptions.Item>
          <Descriptions.Item label="随机数算法">
            {s.prng}（{s.prngVersion}）
          </Descriptions.Item>
          <Descriptions.Item label="联系不上时递补">{s.replaceUnreachable ? '是' : '否'}</Descriptions.Item>
          <Descriptions.Item label="随机种子" span={3}>
            <Typography.Text code>{s.seed}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="抽样框摘要（SM3）" span={3}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {s.frameDigest}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <div style={{ marginTop: 12 }}>
          <AllocationTable strata={s.strata} />
        </div>
      </Card>
    </Flex>
  );
}
