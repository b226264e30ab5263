import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Row,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { POST_LABELS, TRAINING_TOPIC_LABELS, TRAINING_TOPICS } from '../../../../common/labels';
import { LIMITS } from '../../../../common/limits';
import { errorMessage } from '../../api/client';
import {
  useCreateTraining,
  useImportAttendance,
  useSetAttendance,
  useTraining,
  useTrainingCoverage,
  useTrainings,
  useUntrained,
  type AttendanceImportResult,
  type Training,
  type TrainingCoverage,
  type TrainingPerson,
} from '../../api/people';
import { useCurrentUser } from '../../app/auth-context';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { formatDate } from '../families/family-labels';
import { RegionPicker } from '../../components/region-picker';
import { AttendancePicker } from './attendance-picker';
import { FormModal, optional } from './people-forms';
import { readRegion, readYear, RegionBarsCard, share, todayIso, YearSelect, useDrawerPlacement } from './people-ui';

type Topic = (typeof TRAINING_TOPICS)[number];

function NewTrainingModal({ rootCode, onClose }: { rootCode: string; onClose: () => void }) {
  const create = useCreateTraining();
  return (
    <FormModal<{
      regionCode: string;
      title: string;
      heldOn: string;
      topics: Topic[];
      trainer?: string;
      hours?: number;
      attendeeContactIds?: string[];
    }>
      title="登记培训"
      testId="training-form"
      fields={['regionCode', 'title', 'heldOn', 'topics', 'trainer', 'hours', 'attendeeContactIds']}
      done="已登记培训"
      initialValues={{ heldOn: todayIso(), topics: ['policy'], regionCode: rootCode }}
      onClose={onClose}
      onSubmit={(v) =>
        create.mutateAsync({
          regionCode: v.regionCode,
          title: v.title.trim(),
          heldOn: v.heldOn,
          topics: v.topics,
          trainer: optional(v.trainer),
          hours: v.hours ?? undefined,
          attendeeContactIds: v.attendeeContactIds ?? [],
        })
      }
    >
      {(form) => (
        <>
          <Form.Item name="regionCode" label="组织单位" rules={[{ required: true, message: '请选择组织单位' }]}>
            <RegionPicker rootCode={rootCode} selectableLevels={['county', 'township']} />
          </Form.Item>
          <Form.Item name="title" label="培训名称" rules={[{ required: true, message: '请填写培训名称' }]}>
            <Input maxLength={LIMITS.shortText} />
          </Form.Item>
          <Form.Item name="heldOn" label="培训日期" rules={[{ required: true, message: '请填写日期' }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="topics" label="培训内容" rules={[{ required: true, message: '请选择培训内容' }]}>
            <Checkbox.Group options={TRAINING_TOPICS.map((t) => ({ value: t, label: TRAINING_TOPIC_LABELS[t] }))} />
          </Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="trainer" label="授课人" style={{ flex: 1, minWidth: 160 }}>
              <Input maxLength={LIMITS.name} />
            </Form.Item>
            <Form.Item name="hours" label="学时" style={{ width: 120 }}>
              <InputNumber min={0.5} max={80} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Flex>
          <Form.Item noStyle shouldUpdate={(a, b) => a.regionCode !== b.regionCode}>
            {() => (
              <Form.Item name="attendeeContactIds" label="参训人员（从联系人库勾选）">
                <AttendancePicker regionCode={form.getFieldValue('regionCode') as string | undefined} />
              </Form.Item>
            )}
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function ImportResult({ result }: { result: AttendanceImportResult }) {
  return (
    <Alert
      type={result.errors.length ? 'error' : 'success'}
      showIcon
      style={{ marginTop: 8 }}
      title={
        result.errors.length
          ? `签到表 ${result.total} 行，${result.rejected} 行有误，未登记任何人`
          : result.mode === 'validate'
            ? `签到表 ${result.total} 行可导入，新增 ${result.accepted} 人，已在名单 ${result.skipped} 人`
            : `已登记 ${result.accepted} 人，已在名单 ${result.skipped} 人`
      }
      description={
        result.errors.length ? (
          <List
            size="small"
            dataSource={result.errors}
            renderItem={(e) => (
              <List.Item>
                第 {e.row} 行 {e.field}：{e.message}
              </List.Item>
            )}
          />
        ) : undefined
      }
    />
  );
}

/** One session: tick who came (on a phone during the session) or import the sign-in sheet. */
function TrainingDrawer({ id, canWrite, onClose }: { id: string; canWrite: boolean; onClose: () => void }) {
  const drawer = useDrawerPlacement();
  const training = useTraining(id);
  const setAttendance = useSetAttendance();
  const importSheet = useImportAttendance();
  const [picked, setPicked] = useState<string[] | null>(null);
  const [result, setResult] = useState<AttendanceImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = training.data;
  const value = picked ?? t?.attendees.map((a) => a.contactId) ?? [];
  const upload = async (file: File, mode: 'validate' | 'commit') => {
    setError(null);
    try {
      setResult(await importSheet.mutateAsync({ id, file, mode }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const [file, setFile] = useState<File | null>(null);
  return (
    <Drawer open onClose={onClose} title={t?.title ?? '培训'} {...drawer} data-testid="training-drawer">
      {training.isError && <Alert type="error" showIcon title={errorMessage(training.error)} />}
      {t && (
        <>
          <Typography.Paragraph type="secondary">
            {formatDate(t.heldOn)} · {t.regionName} · {t.topics.map((x) => TRAINING_TOPIC_LABELS[x]).join('、')}
            {t.trainer ? ` · 授课人 ${t.trainer}` : ''}
            {t.hours ? ` · ${t.hours} 学时` : ''}
          </Typography.Paragraph>
          {canWrite ? (
            <>
              <Typography.Title level={5}>参训人员</Typography.Title>
              <AttendancePicker regionCode={t.regionCode} value={value} onChange={setPicked} />
              {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
              <Button
                type="primary"
                style={{ marginTop: 12 }}
                loading={setAttendance.isPending}
                disabled={picked === null}
                onClick={() =>
                  setAttendance
                    .mutateAsync({ id, version: t.version, contactIds: value })
                    .then(() => setPicked(null))
                    .catch((err) => setError(errorMessage(err)))
                }
              >
                保存签到（{value.length} 人）
              </Button>
              <Typography.Title level={5} style={{ marginTop: 24 }}>
                导入签到表
              </Typography.Title>
              <Typography.Paragraph type="secondary">
                xlsx 或
                csv，第一行为表头，须有“姓名”“手机号码”两列；按联系人库中的姓名和手机号码匹配。有任何一行出错则不登记。
              </Typography.Paragraph>
              <Flex gap={8} wrap>
                <Upload
                  accept=".xlsx,.csv"
                  maxCount={1}
                  beforeUpload={(f) => {
                    setFile(f);
                    setResult(null);
                    void upload(f, 'validate');
                    return false;
                  }}
                  showUploadList={false}
                >
                  <Button icon={<UploadOutlined />}>选择签到表</Button>
                </Upload>
                {file && result && result.mode === 'validate' && !result.errors.length && (
                  <Button type="primary" loading={importSheet.isPending} onClick={() => void upload(file, 'commit')}>
                    确认登记
                  </Button>
                )}
              </Flex>
              {result && <ImportResult result={result} />}
            </>
          ) : (
            <List
              size="small"
              header={`参训人员 ${t.attendees.length} 人`}
              dataSource={t.attendees}
              renderItem={(a) => (
                <List.Item>
                  {a.name} · {POST_LABELS[a.post]} · {a.regionName}
                </List.Item>
              )}
            />
          )}
        </>
      )}
    </Drawer>
  );
}

function CoverageCards({ coverage }: { coverage: TrainingCoverage }) {
  const without = coverage.regions.filter((r) => r.sessions === 0);
  return (
    <>
      <Card style={{ marginBottom: 16 }} data-testid="training-coverage">
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Statistic title="在册联系人" value={coverage.contacts} suffix="人" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={`${coverage.year} 年已参训`} value={coverage.trained} suffix="人" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="未参训" value={coverage.untrainedTotal} suffix="人" />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="参训率" value={share(coverage.trained, coverage.contacts)} />
          </Col>
        </Row>
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>
          {without.length ? (
            <>
              年内尚未举办培训的县、乡镇（{without.length} 个）：
              {without.slice(0, 30).map((r) => (
                <Tag key={r.regionCode} color="orange">
                  {r.name}
                </Tag>
              ))}
              {without.length > 30 && ' 等'}
            </>
          ) : (
            <Typography.Text type="success">每个县、乡镇年内都至少举办了一次培训。</Typography.Text>
          )}
        </Typography.Paragraph>
      </Card>
      {coverage.children.length > 0 && (
        <div style={{ marginBottom: 16 }}>
          <RegionBarsCard
            testId="training-by-region"
            title="各下级区划参训情况"
            label="各下级区划联系人数与已参训人数的条形图，数据见旁边的表格"
            rows={coverage.children}
            series={[
              { key: 'contacts', name: '联系人', color: '#8c8c8c' },
              { key: 'trained', name: '已参训', color: '#389e0d' },
            ]}
            extraColumns={[
              { title: '参训率', key: 'rate', align: 'right', render: (_, r) => share(r.trained, r.contacts) },
            ]}
          />
        </div>
      )}
    </>
  );
}

function UntrainedTable({ regionCode, year }: { regionCode?: string; year: number }) {
  const { params, setPage } = useUrlFilters();
  const page = readPage(params);
  const list = useUntrained({ regionCode, year, ...page });
  const columns: TableColumnsType<TrainingPerson> = [
    { title: '姓名', dataIndex: 'name', key: 'name' },
    { title: '岗位', dataIndex: 'post', key: 'post', render: (p: TrainingPerson['post']) => POST_LABELS[p] },
    { title: '区划', dataIndex: 'regionName', key: 'regionName' },
  ];
  return (
    <>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<TrainingPerson>
        data-testid="untrained-table"
        rowKey="contactId"
        size="middle"
        columns={columns}
        dataSource={list.data?.data}
        loading={list.isFetching}
        locale={{ emptyText: '联系人均已参训' }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `未参训 ${total} 人`,
        }}
        onChange={(p) => setPage(p.current ?? 1, p.pageSize ?? page.pageSize)}
      />
    </>
  );
}

/** 培训 (R15): sessions with attendance, and for the year who is trained and who is not yet. */
export default function TrainingsPage() {
  usePageTitle('培训');
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const regionCode = readRegion(params);
  const year = readYear(params);
  const tab = params.get('tab') === 'untrained' ? 'untrained' : 'sessions';
  const page = readPage(params);
  const coverage = useTrainingCoverage(regionCode, year);
  const list = useTrainings({ regionCode, year, ...page });
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const canWrite = user.abilities.includes('training.write');

  const columns: TableColumnsType<Training> = [
    { title: '日期', dataIndex: 'heldOn', key: 'heldOn', render: formatDate },
    {
      title: '培训名称',
      dataIndex: 'title',
      key: 'title',
      render: (title: string, t) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(t.id)}>
          {title}
        </Button>
      ),
    },
    { title: '组织单位', dataIndex: 'regionName', key: 'regionName' },
    {
      title: '内容',
      dataIndex: 'topics',
      key: 'topics',
      render: (topics: Topic[]) => topics.map((x) => <Tag key={x}>{TRAINING_TOPIC_LABELS[x]}</Tag>),
    },
    { title: '参训人数', dataIndex: 'attendeeCount', key: 'attendeeCount', align: 'right' },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          培训
        </Typography.Title>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            登记培训
          </Button>
        )}
      </Flex>
      <FilterBar
        fields={[
          {
            key: 'region',
            type: 'region',
            rootCode: user.regionCode,
            value: regionCode,
            onChange: (code) => setFilters({ region: code }),
          },
          {
            key: 'year',
            type: 'custom',
            col: {},
            node: <YearSelect value={year} onChange={(y) => setFilters({ year: String(y) })} />,
          },
        ]}
      />
      {coverage.isError && (
        <Alert type="error" showIcon title={errorMessage(coverage.error)} style={{ marginBottom: 16 }} />
      )}
      {coverage.data && <CoverageCards coverage={coverage.data} />}
      <Tabs
        activeKey={tab}
        onChange={(key) => setFilters({ tab: key === 'untrained' ? 'untrained' : undefined })}
        items={[
          {
            key: 'sessions',
            label: '培训记录',
            children: (
              <Table<Training>
                data-testid="trainings-table"
                rowKey="id"
                size="middle"
                columns={columns}
                dataSource={list.data?.data}
                loading={list.isFetching}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: '本年度暂无培训' }}
                pagination={{
                  current: page.page,
                  pageSize: page.pageSize,
                  total: list.data?.page.total ?? 0,
                  showSizeChanger: true,
                  pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
                  showTotal: (total) => `共 ${total} 期`,
                }}
                onChange={(p) => setPage(p.current ?? 1, p.pageSize ?? page.pageSize)}
              />
            ),
          },
          {
            key: 'untrained',
            label: `未参训人员${coverage.data ? `（${coverage.data.untrainedTotal}）` : ''}`,
            children: <UntrainedTable regionCode={regionCode} year={year} />,
          },
        ]}
      />
      {creating && <NewTrainingModal rootCode={user.regionCode} onClose={() => setCreating(false)} />}
      {open && <TrainingDrawer id={open} canWrite={canWrite} onClose={() => setOpen(null)} />}
    </>
  );
}
