import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  LIAISON_COVERAGE_LABELS,
  LIAISON_STATUS_LABELS,
  SUBSIDY_KIND_LABELS,
  SUBSIDY_KINDS,
} from '../../../../common/labels';
import { LIMITS } from '../../../../common/limits';
import { errorMessage } from '../../api/client';
import { useFamilySearch } from '../../api/families';
import { downloadFile } from '../../api/imports';
import {
  useAddLiaisonReport,
  useAddSubsidy,
  useCreateLiaison,
  useLiaisonCoverage,
  useLiaisonReports,
  useLiaisons,
  useLiaisonSubsidies,
  useSetProgramme,
  useSubsidyTotals,
  useUpdateLiaison,
  type Liaison,
  type LiaisonCoverage,
} from '../../api/people';
import { useCurrentUser } from '../../app/auth-context';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { formatDate } from '../families/family-labels';
import { RegionPicker } from '../../components/region-picker';
import { FormModal, optional } from './people-forms';
import { readRegion, readYear, RegionBarsCard, todayIso, YearSelect, useDrawerPlacement } from './people-ui';

type CoverageRow = LiaisonCoverage['children'][number];
const STATUS_COLOR = { ok: 'green', short: 'orange', over: 'red' } as const;

function CoverageStatus({ row }: { row: CoverageRow }) {
  if (!row.isRunning) return <Tag>未开展联络员工作</Tag>;
  if (row.level !== 'township')
    return row.townshipsShort || row.townshipsOver ? (
      <Tag color={STATUS_COLOR[row.status]}>
        {row.townshipsShort ? `${row.townshipsShort} 个乡镇不足` : ''}
        {row.townshipsShort && row.townshipsOver ? '，' : ''}
        {row.townshipsOver ? `${row.townshipsOver} 个乡镇超配` : ''}
      </Tag>
    ) : (
      <Tag color="green">各乡镇均达标</Tag>
    );
  return <Tag color={STATUS_COLOR[row.status]}>{LIAISON_COVERAGE_LABELS[row.status]}</Tag>;
}

/** The county switch "本县开展联络员工作" (有条件的县), for county staff on their county. */
function ProgrammeSwitch({ coverage }: { coverage: LiaisonCoverage }) {
  const set = useSetProgramme();
  return (
    <Flex gap={8} align="center">
      <Typography.Text>本县开展联络员工作</Typography.Text>
      <Switch
        aria-label="本县开展联络员工作"
        checked={coverage.isRunning}
        loading={set.isPending}
        onChange={(isRunning) =>
          set.mutate({ countyCode: coverage.regionCode, isRunning, version: coverage.programmeVersion ?? undefined })
        }
      />
      {set.isError && <Typography.Text type="danger">{errorMessage(set.error)}</Typography.Text>}
    </Flex>
  );
}

/** A living parent of an archive in the township, found by name or archive number: the liaison drawn from the family. */
function FamilyMemberPicker({
  township,
  onPick,
}: {
  township: string | undefined;
  onPick: (familyId: string | undefined, name: string | undefined) => void;
}) {
  const [q, setQ] = useState('');
  const search = useFamilySearch({ regionCode: township, q: q || undefined, page: 1, pageSize: 10 });
  const options = (township ? (search.data?.data ?? []) : []).flatMap((f) =>
    f.members
      .filter((m) => !m.isDeceased)
      .map((m) => ({ value: `${f.id}|${m.name}`, label: `${m.name}（${f.archiveNo}）` })),
  );
  return (
    <Select
      aria-label="所在家庭"
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      disabled={!township}
      placeholder={township ? '输入姓名或档案编号查找' : '请先选择乡镇（街道）'}
      loading={search.isFetching}
      options={options}
      onChange={(v: string | undefined) => {
        const [familyId, name] = v ? v.split('|') : [undefined, undefined];
        onPick(familyId, name);
      }}
    />
  );
}

function NewLiaisonModal({ rootCode, onClose }: { rootCode: string; onClose: () => void }) {
  const create = useCreateLiaison();
  return (
    <FormModal<{ regionCode: string; name: string; phone?: string; familyId?: string; startedOn?: string }>
      title="登记联络员"
      testId="liaison-form"
      fields={['regionCode', 'name', 'phone', 'familyId', 'startedOn']}
      done="已登记联络员"
      initialValues={{ startedOn: todayIso() }}
      onClose={onClose}
      onSubmit={(v) =>
        create.mutateAsync({
          regionCode: v.regionCode,
          name: v.name.trim(),
          phone: v.familyId ? undefined : optional(v.phone),
          familyId: optional(v.familyId),
          startedOn: v.startedOn,
        })
      }
    >
      {(form) => (
        <>
          <Form.Item
            name="regionCode"
            label="所在乡镇（街道）"
            rules={[{ required: true, message: '请选择乡镇（街道）' }]}
          >
            <RegionPicker rootCode={rootCode} selectableLevels={['township']} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.regionCode !== b.regionCode}>
            {() => (
              <Form.Item
                label="是特殊家庭成员时，选择其家庭（电话取自档案）"
                name="familyId"
                getValueProps={() => ({})}
              >
                <FamilyMemberPicker
                  township={form.getFieldValue('regionCode') as string | undefined}
                  onPick={(familyId, name) => form.setFieldsValue({ familyId, ...(name ? { name } : {}) })}
                />
              </Form.Item>
            )}
          </Form.Item>
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.familyId !== b.familyId}>
            {() =>
              form.getFieldValue('familyId') ? null : (
                <Form.Item name="phone" label="联系电话">
                  <Input inputMode="tel" maxLength={20} />
                </Form.Item>
              )
            }
          </Form.Item>
          <Form.Item name="startedOn" label="任职日期">
            <Input type="date" />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

/** One liaison: what they relayed and what they were paid, both recordable on a phone. */
function LiaisonDrawer({ liaison, canWrite, onClose }: { liaison: Liaison; canWrite: boolean; onClose: () => void }) {
  const drawer = useDrawerPlacement();
  const reports = useLiaisonReports(liaison.id);
  const subsidies = useLiaisonSubsidies(liaison.id);
  const [form, setForm] = useState<'report' | 'subsidy' | 'end' | null>(null);
  const addReport = useAddLiaisonReport();
  const addSubsidy = useAddSubsidy();
  const update = useUpdateLiaison();
  const township = liaison.regionCode;
  const county = `${township.slice(0, 6)}000000`;
  return (
    <Drawer open onClose={onClose} title={`联络员 ${liaison.name}`} {...drawer} data-testid="liaison-drawer">
      <Typography.Paragraph type="secondary">
        {liaison.regionName} · {liaison.phone ?? '未登记电话'} · {LIAISON_STATUS_LABELS[liaison.status]}（
        {formatDate(liaison.startedOn)} 起{liaison.endedOn ? `，${formatDate(liaison.endedOn)} 卸任` : ''}）
      </Typography.Paragraph>
      {canWrite && liaison.status === 'active' && (
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Button type="primary" onClick={() => setForm('report')}>
            记录反映情况
          </Button>
          <Button onClick={() => setForm('subsidy')}>登记补助</Button>
          <Button danger onClick={() => setForm('end')}>
            卸任
          </Button>
        </Flex>
      )}
      <Typography.Title level={5}>反映情况</Typography.Title>
      <List
        size="small"
        loading={reports.isPending}
        locale={{ emptyText: '暂无记录' }}
        dataSource={reports.data ?? []}
        renderItem={(r) => (
          <List.Item>
            <Flex vertical>
              <Typography.Text strong>{formatDate(r.reportedOn)}</Typography.Text>
              <span>{r.content}</span>
              {r.archiveNo && <Typography.Text type="secondary">涉及档案 {r.archiveNo}</Typography.Text>}
            </Flex>
          </List.Item>
        )}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        补助发放
      </Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={subsidies.isPending}
        dataSource={subsidies.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暂无补助记录' }}
        columns={[
          { title: '期间', dataIndex: 'period' },
          { title: '类别', dataIndex: 'kind', render: (k: keyof typeof SUBSIDY_KIND_LABELS) => SUBSIDY_KIND_LABELS[k] },
          { title: '金额（元）', dataIndex: 'amount', align: 'right' },
          { title: '支付', dataIndex: 'payerLevel', render: (l: string) => (l === 'county' ? '县级' : '乡镇') },
          { title: '支付日期', dataIndex: 'paidOn', render: formatDate },
        ]}
      />
      {form === 'report' && (
        <FormModal<{ reportedOn: string; content: string; familyId?: string }>
          title="记录反映情况"
          testId="liaison-report-form"
          fields={['reportedOn', 'content', 'familyId']}
          done="已记录"
          initialValues={{ reportedOn: todayIso() }}
          onClose={() => setForm(null)}
          onSubmit={(v) =>
            addReport.mutateAsync({
              id: liaison.id,
              reportedOn: v.reportedOn,
              content: v.content.trim(),
              familyId: optional(v.familyId),
            })
          }
        >
          {() => (
            <>
              <Form.Item name="reportedOn" label="日期" rules={[{ required: true, message: '请填写日期' }]}>
                <Input type="date" />
              </Form.Item>
              <Form.Item
                name="content"
                label="反映的政策宣传、家庭诉求等"
                rules={[{ required: true, message: '请填写反映内容' }]}
              >
                <Input.TextArea rows={4} maxLength={LIMITS.longText} />
              </Form.Item>
              <Form.Item name="familyId" label="涉及家庭的档案 ID（可不填）">
                <Input maxLength={64} />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
      {form === 'subsidy' && (
        <FormModal<{
          period: string;
          kind: (typeof SUBSIDY_KINDS)[number];
          amount: number;
          payerRegionCode: string;
          paidOn: string;
          note?: string;
        }>
          title="登记补助"
          testId="subsidy-form"
          fields={['period', 'kind', 'amount', 'payerRegionCode', 'paidOn', 'note']}
          done="已登记补助"
          initialValues={{ period: todayIso().slice(0, 7), kind: 'phone', payerRegionCode: county, paidOn: todayIso() }}
          onClose={() => setForm(null)}
          onSubmit={(v) => addSubsidy.mutateAsync({ id: liaison.id, ...v, note: optional(v.note) })}
        >
          {() => (
            <>
              <Form.Item
                name="period"
                label="补助期间（月：2026-11；季度：2026-Q4）"
                rules={[{ required: true, message: '请填写补助期间' }]}
              >
                <Input maxLength={7} />
              </Form.Item>
              <Form.Item name="kind" label="类别">
                <Select options={SUBSIDY_KINDS.map((k) => ({ value: k, label: SUBSIDY_KIND_LABELS[k] }))} />
              </Form.Item>
              <Form.Item name="amount" label="金额（元）" rules={[{ required: true, message: '请填写金额' }]}>
                <InputNumber min={0.01} step={10} precision={2} style={{ width: '100%' }} inputMode="decimal" />
              </Form.Item>
              <Form.Item name="payerRegionCode" label="支付单位">
                <Select
                  options={[
                    { value: county, label: '县（市、区）' },
                    { value: township, label: liaison.regionName },
                  ]}
                />
              </Form.Item>
              <Form.Item name="paidOn" label="支付日期" rules={[{ required: true, message: '请填写支付日期' }]}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="note" label="备注">
                <Input maxLength={LIMITS.shortText} />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
      {form === 'end' && (
        <FormModal<{ endedOn: string; endReason?: string }>
          title="联络员卸任"
          fields={['endedOn', 'endReason']}
          done="已卸任"
          okText="确认卸任"
          initialValues={{ endedOn: todayIso() }}
          onClose={() => {
            setForm(null);
            onClose();
          }}
          onSubmit={(v) =>
            update.mutateAsync({
              id: liaison.id,
              version: liaison.version,
              endedOn: v.endedOn,
              endReason: optional(v.endReason),
            })
          }
        >
          {() => (
            <>
              <Form.Item name="endedOn" label="卸任日期" rules={[{ required: true, message: '请填写日期' }]}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="endReason" label="原因">
                <Input maxLength={LIMITS.shortText} />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
    </Drawer>
  );
}

function SubsidyTotalsCard({
  regionCode,
  year,
  onYear,
}: {
  regionCode?: string;
  year: number;
  onYear: (y: number) => void;
}) {
  const totals = useSubsidyTotals(regionCode, year);
  const [exportError, setExportError] = useState<string | null>(null);
  const t = totals.data;
  return (
    <Card
      title="补助发放合计"
      data-testid="subsidy-totals"
      extra={
        <Flex gap={8} wrap>
          <YearSelect value={year} onChange={onYear} />
          <Button
            icon={<DownloadOutlined />}
            onClick={() => {
              setExportError(null);
              downloadFile('/liaison-subsidies/export.xlsx', `联络员补助-${year}.xlsx`, { regionCode, year }).catch(
                (e) => setExportError(errorMessage(e)),
              );
            }}
          >
            导出明细（财务）
          </Button>
        </Flex>
      }
      style={{ marginBottom: 16 }}
    >
      {exportError && <Alert type="error" showIcon title={exportError} style={{ marginBottom: 12 }} />}
      {totals.isError && <Alert type="error" showIcon title={errorMessage(totals.error)} />}
      {t && (
        <>
          <Typography.Paragraph>
            {year} 年合计 <Typography.Text strong>{t.total.toFixed(2)}</Typography.Text> 元：通讯费 {t.phone.toFixed(2)}
            ，交通费 {t.transport.toFixed(2)}，其他 {t.other.toFixed(2)}；县级支付{' '}
            {(t.byPayerLevel.find((p) => p.payerLevel === 'county')?.total ?? 0).toFixed(2)}，乡镇支付{' '}
            {(t.byPayerLevel.find((p) => p.payerLevel === 'township')?.total ?? 0).toFixed(2)}。
            {t.byYear.length > 1 &&
              ` 历年：${t.byYear.map((y) => `${y.year} 年 ${y.total.toFixed(2)} 元`).join('，')}。`}
          </Typography.Paragraph>
          <Table
            rowKey="regionCode"
            size="small"
            dataSource={t.byTownship}
            pagination={t.byTownship.length > 20 ? { pageSize: 20 } : false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: '本年度暂无补助发放' }}
            columns={[
              { title: '乡镇（街道）', dataIndex: 'name' },
              { title: '通讯费', dataIndex: 'phone', align: 'right' },
              { title: '交通费', dataIndex: 'transport', align: 'right' },
              { title: '其他', dataIndex: 'other', align: 'right' },
              { title: '合计（元）', dataIndex: 'total', align: 'right' },
            ]}
          />
        </>
      )}
    </Card>
  );
}

/** 联络员 (R12): per township the 2–3 liaisons, what they relay, their subsidies and the totals for finance. */
export default function LiaisonsPage() {
  usePageTitle('联络员');
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const regionCode = readRegion(params);
  const statusParam = params.get('status');
  const status = statusParam === 'active' || statusParam === 'ended' ? statusParam : undefined;
  const q = params.get('q') ?? undefined;
  const year = readYear(params);
  const page = readPage(params);
  const list = useLiaisons({ regionCode, status, q, ...page });
  const coverage = useLiaisonCoverage(regionCode);
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<Liaison | null>(null);
  const canWrite = user.abilities.includes('liaison.write');
  const canSwitch = user.abilities.includes('liaison.programme') && coverage.data?.level === 'county';

  const columns: TableColumnsType<Liaison> = [
    { title: '乡镇（街道）', dataIndex: 'regionName', key: 'regionName' },
    {
      title: '姓名',
      dataIndex: 'name',
      key: 'name',
      render: (name: string, l) => (
        <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(l)}>
          {name}
        </Button>
      ),
    },
    { title: '电话', dataIndex: 'phone', key: 'phone', render: (p: string | null) => p ?? '—' },
    { title: '所在档案', dataIndex: 'archiveNo', key: 'archiveNo', render: (a: string | null) => a ?? '—' },
    {
      title: '状态',
      dataIndex: 'status',
      key: 'status',
      render: (s: Liaison['status']) => (
        <Tag color={s === 'active' ? 'green' : undefined}>{LIAISON_STATUS_LABELS[s]}</Tag>
      ),
    },
    { title: '任职', dataIndex: 'startedOn', key: 'startedOn', render: formatDate },
    { title: '反映', dataIndex: 'reportCount', key: 'reportCount', align: 'right' },
    { title: '补助累计（元）', dataIndex: 'subsidyTotal', key: 'subsidyTotal', align: 'right' },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          联络员
        </Typography.Title>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            登记联络员
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
            key: 'status',
            type: 'select',
            label: '状态',
            placeholder: '全部状态',
            options: (['active', 'ended'] as const).map((s) => ({ value: s, label: LIAISON_STATUS_LABELS[s] })),
            value: status,
            onChange: (s) => setFilters({ status: s }),
          },
          {
            key: 'q',
            type: 'search',
            size: 'narrow',
            label: '姓名',
            placeholder: '姓名',
            value: q ?? '',
            onSearch: (v) => setFilters({ q: v || undefined }),
          },
        ]}
      />

      {coverage.isError && (
        <Alert type="error" showIcon title={errorMessage(coverage.error)} style={{ marginBottom: 16 }} />
      )}
      {coverage.data && (
        <div style={{ marginBottom: 16 }}>
          <RegionBarsCard<CoverageRow>
            testId="liaison-coverage"
            title={`每个乡镇 2–3 名联络员：${coverage.data.name}`}
            label="各下级区划在任联络员人数的条形图，数据见旁边的表格"
            extra={canSwitch ? <ProgrammeSwitch coverage={coverage.data} /> : undefined}
            rows={coverage.data.children}
            series={[{ key: 'liaisons', name: '在任联络员', color: '#1d5fa8' }]}
            extraColumns={[{ title: '核查', key: 'status', render: (_, row) => <CoverageStatus row={row} /> }]}
          />
        </div>
      )}

      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />}
      <Table<Liaison>
        data-testid="liaisons-table"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.data}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有符合条件的联络员' }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 人`,
        }}
        onChange={(p) => setPage(p.current ?? 1, p.pageSize ?? page.pageSize)}
        style={{ marginBottom: 16 }}
      />
      <SubsidyTotalsCard regionCode={regionCode} year={year} onYear={(y) => setFilters({ year: String(y) })} />
      {creating && <NewLiaisonModal rootCode={user.regionCode} onClose={() => setCreating(false)} />}
      {open && <LiaisonDrawer liaison={open} canWrite={canWrite} onClose={() => setOpen(null)} />}
    </>
  );
}
