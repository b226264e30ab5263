import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Flex,
  Grid,
  Segmented,
  Skeleton,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { DownloadOutlined, EditOutlined, LockOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router';
import {
  downloadAssessment,
  useAssessmentResult,
  useAssessmentScheme,
  usePublishAssessment,
  type AssessmentResult,
  type AssessmentScheme,
  type AssessmentUnit,
} from '../../api/assessments';
import { errorMessage } from '../../api/client';
import { useCurrentUser } from '../../app/auth-context';
import { ResponsiveTable } from '../../components/responsive-table';
import { usePageTitle } from '../../components/use-page-title';
import { ChartWithTable } from '../dashboard/chart-with-table';
import { EChart, type ChartOption } from '../dashboard/echart';
import { formatDateTime } from '../families/family-labels';
import { AssessmentStatusTag, DIRECTION_LABELS, formatValue, LEVEL_LABELS } from './assessment-labels';

type Item = AssessmentResult['scheme']['items'][number];
type UnitItem = AssessmentUnit['items'][number];
const BAR_HEIGHT = 28;
const BOX_HEIGHT = 560;

function scoreChart(bottomUp: AssessmentUnit[]): ChartOption {
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const u = bottomUp[(params as Array<{ dataIndex: number }>)[0].dataIndex];
        return `第 ${u.rank} 名 ${u.name}<br/>总分 ${u.score}（指标 ${u.itemsScore}，扣 ${u.deduction}）`;
      },
    },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { hideOverlap: true } },
    yAxis: {
      type: 'category',
      data: bottomUp.map((u) => u.name),
      axisLabel: { width: 110, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: '总分',
        data: bottomUp.map((u) => u.score),
        barMaxWidth: 18,
        itemStyle: { color: '#1d5fa8' },
        label: { show: true, position: 'right' },
      },
    ],
  };
}

function ruleText(it: Item): string {
  return `${DIRECTION_LABELS[it.direction]}：${it.floor} 起评，${it.target} 满分`;
}

function SchemeCard({ result }: { result: AssessmentResult }) {
  const s = result.scheme;
  const d = s.deductions.find((x) => x.kind === 'province_petition');
  return (
    <Card size="small" title="考核指标与评分规则">
      <Table<Item & { name: string }>
        rowKey={(it) => `${it.source}:${it.code}:${it.perFamily ? 1 : 0}`}
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={s.items.map((it, i) => ({ ...it, name: result.units[0]?.items[i]?.name ?? it.code }))}
        columns={[
          { title: '指标', dataIndex: 'name', key: 'name' },
          { title: '来源', key: 'source', render: (_, it) => (it.source === 'survey' ? '抽样调查' : '统计报表') },
          { title: '权重', dataIndex: 'weight', key: 'weight', align: 'right' },
          { title: '评分规则', key: 'rule', render: (_, it) => ruleText(it) },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
        扣分项：
        {d
          ? `省级及以上（含进京）信访每件扣 ${d.pointsPerEvent} 分${d.maxPoints ? `，最多扣 ${d.maxPoints} 分` : '，不设上限'}`
          : '无'}
        ；总分 = 各项得分之和 − 扣分，最低 0 分。同一层级内按总分排名，同分同名次。
      </Typography.Paragraph>
    </Card>
  );
}

function Breakdown({ unit }: { unit: AssessmentUnit }) {
  const columns: TableColumnsType<UnitItem> = [
    { title: '指标', dataIndex: 'name', key: 'name' },
    { title: '实际值', key: 'value', align: 'right', render: (_, it) => formatValue(it.value, it.unit) },
    { title: '满分', dataIndex: 'weight', key: 'weight', align: 'right' },
    { title: '得分', dataIndex: 'score', key: 'score', align: 'right' },
  ];
  return (
    <Card size="small" title={`得分明细 · ${unit.name}`} data-testid="assessment-breakdown">
      <ResponsiveTable<UnitItem>
        rowKey="code"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={unit.items}
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} style={{ marginTop: 8 }}>
        <Descriptions.Item label="指标得分">{unit.itemsScore}</Descriptions.Item>
        <Descriptions.Item label="省级及以上信访">{unit.provincePetitions} 件</Descriptions.Item>
        <Descriptions.Item label="扣分">{unit.deduction}</Descriptions.Item>
        <Descriptions.Item label="总分">
          <Typography.Text strong>{unit.score}</Typography.Text>（第 {unit.rank} 名）
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function Ranking({ result }: { result: AssessmentResult }) {
  const levels = useMemo(
    () => ['prefecture', 'county'].filter((l) => result.units.some((u) => u.level === l)),
    [result.units],
  );
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const level = picked && levels.includes(picked) ? picked : levels[0];
  const rows = useMemo(() => result.units.filter((u) => u.level === level), [result.units, level]);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  // On a phone the card's title needs the whole width; the hint goes.
  const isPhone = Grid.useBreakpoint().md === false;
  const unit = rows.find((u) => u.regionCode === selected) ?? rows[0];
  const height = Math.max(220, rows.length * BAR_HEIGHT + 60);
  const option = useMemo(() => scoreChart([...rows].reverse()), [rows]);
  const label = LEVEL_LABELS[level ?? 'county'] ?? '单位';
  if (!rows.length) return <Alert type="info" showIcon title="没有可排名的单位" />;
  const columns: TableColumnsType<AssessmentUnit> = [
    { title: '名次', dataIndex: 'rank', key: 'rank', width: 64 },
    {
      title: label,
      dataIndex: 'name',
      key: 'name',
      render: (name: string, u) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={(e) => {
            e.stopPropagation();
            setSelected(u.regionCode);
          }}
        >
          {name}
        </Button>
      ),
    },
    { title: '总分', dataIndex: 'score', key: 'score', align: 'right' },
    { title: '指标得分', dataIndex: 'itemsScore', key: 'itemsScore', align: 'right' },
    { title: '省级及以上信访', dataIndex: 'provincePetitions', key: 'petitions', align: 'right' },
    { title: '扣分', dataIndex: 'deduction', key: 'deduction', align: 'right' },
  ];
  return (
    <Flex vertical gap={12}>
      {levels.length > 1 && (
        <Segmented
          aria-label="排名层级"
          value={level}
          options={levels.map((l) => ({ value: l, label: `${LEVEL_LABELS[l]}排名` }))}
          onChange={(v) => {
            setPicked(String(v));
            setSelected(undefined);
          }}
        />
      )}
      <ChartWithTable
        testId="assessment-ranking"
        title={`各${label}考核得分排名`}
        extra={isPhone ? undefined : <Typography.Text type="secondary">点击单位查看得分明细</Typography.Text>}
        chartSpan={12}
        chart={
          // A long ranking (a province's counties) scrolls inside its box, so the breakdown stays near.
          <div
            tabIndex={0}
            role="region"
            aria-label={`各${label}考核总分条形图（可滚动）`}
            style={{ maxHeight: BOX_HEIGHT, overflowY: 'auto' }}
          >
            <EChart
              testId="assessment-chart"
              option={option}
              height={height}
              label={`各${label}考核总分条形图，数据见表格`}
              onClickName={(name) => setSelected(rows.find((u) => u.name === name)?.regionCode)}
            />
          </div>
        }
        table={
          <ResponsiveTable<AssessmentUnit>
            data-testid="assessment-table"
            rowKey="regionCode"
            size="small"
            columns={columns}
            dataSource={rows}
            pagination={false}
            scroll={rows.length > 15 ? { y: BOX_HEIGHT } : undefined}
            cardTitleKey="name"
            onRow={(u) => ({ onClick: () => setSelected(u.regionCode), style: { cursor: 'pointer' } })}
          />
        }
      />
      {unit && <Breakdown unit={unit} />}
    </Flex>
  );
}

function StatusBanner({ scheme, result }: { scheme: AssessmentScheme; result: AssessmentResult }) {
  if (scheme.status === 'published')
    return (
      <Alert
        type="success"
        showIcon
        icon={<LockOutlined />}
        data-testid="assessment-frozen"
        title={`结果已冻结：${formatDateTime(scheme.publishedAt)} 由 ${scheme.publishedByName ?? '—'} 发布`}
        description="发布时的方案、每项实际值和得分已一并保存，此后新增或修改的工作记录不再改变本次考核结果。"
      />
    );
  return (
    <Alert
      type="info"
      showIcon
      title={`草稿：按当前工作记录实时计算（${formatDateTime(result.computedAt)}）`}
      description="发布后结果冻结，方案不能再修改。"
    />
  );
}

/** 考核结果: the scheme, the live (draft) or frozen (published) ranking with its chart and table, publication. */
export default function AssessmentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const user = useCurrentUser();
  const scheme = useAssessmentScheme(id);
  const result = useAssessmentResult(id);
  const publish = usePublishAssessment(id);
  const [exporting, setExporting] = useState(false);
  usePageTitle(scheme.data?.name ?? '考核结果');
  if (scheme.isError) return <Alert type="error" showIcon title={errorMessage(scheme.error)} />;
  if (!scheme.data) return <Skeleton active />;
  const s = scheme.data;
  const readOnlyFromAbove = s.regionCode !== user.regionCode && s.status === 'published' && !s.abilities.edit;

  const confirmPublish = () =>
    modal.confirm({
      title: '发布考核结果',
      content: '发布后考核结果冻结：各单位得分和所用数据不再随工作记录变化，方案也不能再修改。确定发布吗？',
      okText: '发布并冻结',
      cancelText: '取消',
      onOk: async () => {
        try {
          await publish.mutateAsync(s.version);
          message.success('考核结果已发布并冻结');
        } catch (err) {
          message.error(errorMessage(err));
        }
      },
    });
  const doExport = async () => {
    setExporting(true);
    try {
      await downloadAssessment(s.id, `考核排名-${s.year}-${s.regionName}.xlsx`);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center">
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {s.name}
        </Typography.Title>
        <AssessmentStatusTag status={s.status} />
      </Flex>
      <Typography.Text type="secondary">
        {s.regionName} · {s.year} 年度
        {readOnlyFromAbove ? ' · 上级考核，仅显示本级结果（只读）' : ''}
      </Typography.Text>
      <Flex gap={8} wrap>
        {s.abilities.edit && (
          <Button icon={<EditOutlined />} onClick={() => navigate(`/assessments/${s.id}/edit`)}>
            修改方案
          </Button>
        )}
        {s.abilities.publish && (
          <Button type="primary" icon={<LockOutlined />} loading={publish.isPending} onClick={confirmPublish}>
            发布
          </Button>
        )}
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void doExport()}>
          导出 xlsx
        </Button>
      </Flex>
      {result.isError && <Alert type="error" showIcon title={errorMessage(result.error)} />}
      {result.data ? (
        <>
          <StatusBanner scheme={s} result={result.data} />
          <Ranking result={result.data} />
          <SchemeCard result={result.data} />
        </>
      ) : (
        !result.isError && <Skeleton active />
      )}
    </Flex>
  );
}
