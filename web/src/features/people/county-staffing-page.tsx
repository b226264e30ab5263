import { useState } from 'react';
import { Alert, Button, Card, Form, Input, List, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { STAFFING_DUTY_LABELS } from '../../../../common/labels';
import { LIMITS } from '../../../../common/limits';
import { errorMessage } from '../../api/client';
import {
  useCountyStaffing,
  useCountyStaffingList,
  useCountyStaffingSummary,
  useSetCountyStaffing,
  type CountyStaffing,
  type CountyStaffingCheck,
} from '../../api/people';
import { useCurrentUser } from '../../app/auth-context';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { formatDate } from '../families/family-labels';
import { FormModal } from './people-forms';
import { readRegion, RegionBarsCard, share } from './people-ui';

function EditStaffingModal({ staffing, onClose }: { staffing: CountyStaffing; onClose: () => void }) {
  const set = useSetCountyStaffing();
  return (
    <FormModal<{ leader?: string; staff1?: string; staff2?: string }>
      title={`${staffing.name}卫健部门人员配备`}
      testId="staffing-form"
      fields={['leader', 'staff']}
      done="已保存"
      initialValues={{
        leader: staffing.leader?.name,
        staff1: staffing.staff[0]?.name,
        staff2: staffing.staff[1]?.name,
      }}
      onClose={onClose}
      onSubmit={(v) => {
        // A person who stays keeps their account link, so their start date and history stay too.
        const keep = (name: string | undefined, current: CountyStaffing['staff']) => {
          const n = name?.trim();
          if (!n) return null;
          const same = current.find((s) => s.name === n);
          return same?.userId ? { userId: same.userId, name: n } : { name: n };
        };
        return set.mutateAsync({
          countyCode: staffing.regionCode,
          version: staffing.version ?? undefined,
          leader: keep(v.leader, staffing.leader ? [staffing.leader] : []),
          staff: [keep(v.staff1, staffing.staff), keep(v.staff2, staffing.staff)].filter((s) => s !== null),
        });
      }}
    >
      {() => (
        <>
          <Form.Item name="leader" label="分管领导（1 名）">
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item name="staff1" label="工作人员">
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item name="staff2" label="工作人员（第 2 名，可不填）">
            <Input maxLength={LIMITS.name} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

/** A county's own staffing with its history, editable by county staff. */
function OwnCountyCard({ countyCode }: { countyCode: string }) {
  const staffing = useCountyStaffing(countyCode);
  const [editing, setEditing] = useState(false);
  const user = useCurrentUser();
  const s = staffing.data;
  if (staffing.isError) return <Alert type="error" showIcon title={errorMessage(staffing.error)} />;
  if (!s) return null;
  return (
    <Card
      title={`本县人员配备：${s.name}`}
      style={{ marginBottom: 16 }}
      data-testid="own-staffing"
      extra={
        user.abilities.includes('staffing.write') && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            调整
          </Button>
        )
      }
    >
      <Typography.Paragraph>
        {s.complete ? <Tag color="green">已配齐</Tag> : <Tag color="orange">未配齐</Tag>}
        分管领导：{s.leader?.name ?? '未明确'}；工作人员：{s.staff.map((x) => x.name).join('、') || '未明确'}
      </Typography.Paragraph>
      <List
        size="small"
        header="变更记录"
        dataSource={s.history}
        locale={{ emptyText: '暂无记录' }}
        renderItem={(h) => (
          <List.Item>
            {STAFFING_DUTY_LABELS[h.duty]} {h.name}：{formatDate(h.startedOn)} 起
            {h.endedOn ? `，${formatDate(h.endedOn)} 止` : '（在任）'}
          </List.Item>
        )}
      />
      {editing && <EditStaffingModal staffing={s} onClose={() => setEditing(false)} />}
    </Card>
  );
}

/** 县级人员配备 (R13): each county's 1 leader and 1–2 staff, checked by city and province. */
export default function CountyStaffingPage() {
  usePageTitle('县级人员配备');
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const regionCode = readRegion(params);
  const completeParam = params.get('complete');
  const complete = completeParam === 'true' || completeParam === 'false' ? completeParam : undefined;
  const page = readPage(params);
  const list = useCountyStaffingList({ regionCode, complete, ...page });
  const summary = useCountyStaffingSummary(regionCode);
  const isCounty = /^\d{6}0{6}$/.test(user.regionCode) && !/^\d{4}0{8}$/.test(user.regionCode);

  const columns: TableColumnsType<CountyStaffingCheck> = [
    { title: '县（市、区）', dataIndex: 'name', key: 'name' },
    {
      title: '分管领导',
      dataIndex: 'leaderName',
      key: 'leaderName',
      render: (n: string | null) => n ?? <Tag color="orange">未明确</Tag>,
    },
    {
      title: '工作人员',
      dataIndex: 'staffNames',
      key: 'staffNames',
      render: (names: string[]) => (names.length ? names.join('、') : <Tag color="orange">未明确</Tag>),
    },
    {
      title: '核查',
      dataIndex: 'complete',
      key: 'complete',
      render: (c: boolean) => (c ? <Tag color="green">已配齐</Tag> : <Tag color="orange">未配齐</Tag>),
    },
    { title: '更新时间', dataIndex: 'updatedAt', key: 'updatedAt', render: (d: string | null) => formatDate(d) },
  ];

  return (
    <>
      <Typography.Title level={3}>县级人员配备</Typography.Title>
      <Typography.Paragraph type="secondary">
        每个县（市、区）卫健部门明确 1 名分管领导和 1–2 名工作人员负责特殊家庭工作。
      </Typography.Paragraph>
      {isCounty && <OwnCountyCard countyCode={user.regionCode} />}
      <FilterBar
        fields={[
          {
            key: 'region',
            type: 'region',
            rootCode: user.regionCode,
            selectableLevels: ['province', 'prefecture', 'county'],
            value: regionCode,
            onChange: (code) => setFilters({ region: code }),
          },
          {
            key: 'complete',
            type: 'select',
            label: '核查结果',
            placeholder: '全部',
            options: [
              { value: 'false', label: '未配齐' },
              { value: 'true', label: '已配齐' },
            ],
            value: complete,
            onChange: (v) => setFilters({ complete: v }),
          },
        ]}
      />
      {summary.data && summary.data.children.length > 0 && (
        <div style={{ marginBottom: 16 }}>
          <RegionBarsCard
            testId="staffing-summary"
            title={`已配齐的县：${summary.data.complete} / ${summary.data.counties}`}
            label="各下级区划县的个数与已配齐个数的条形图，数据见旁边的表格"
            rows={summary.data.children}
            series={[
              { key: 'counties', name: '县（市、区）', color: '#8c8c8c' },
              { key: 'complete', name: '已配齐', color: '#389e0d' },
            ]}
            extraColumns={[
              { title: '配齐率', key: 'rate', align: 'right', render: (_, r) => share(r.complete, r.counties) },
            ]}
          />
        </div>
      )}
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<CountyStaffingCheck>
        data-testid="staffing-table"
        rowKey="regionCode"
        size="middle"
        columns={columns}
        dataSource={list.data?.data}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有符合条件的县' }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: list.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 个县`,
        }}
        onChange={(p) => setPage(p.current ?? 1, p.pageSize ?? page.pageSize)}
      />
    </>
  );
}
