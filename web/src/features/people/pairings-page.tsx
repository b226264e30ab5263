import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Flex, Form, Input, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { PAIRING_KIND_LABELS, PAIRING_KINDS, PARTNER_KIND_LABELS, PARTNER_KINDS } from '../../../../common/labels';
import { LIMITS } from '../../../../common/limits';
import { errorMessage } from '../../api/client';
import {
  useCreatePartnerOrganization,
  usePairingCoverage,
  usePairings,
  usePartnerOrganizations,
  type Pairing,
  type PartnerOrganization,
} from '../../api/people';
import { useCurrentUser } from '../../app/auth-context';
import { PAGE_SIZE_OPTIONS, readPage, useUrlFilters } from '../../components/url-state';
import { FilterBar } from '../../components/filter-bar';
import { usePageTitle } from '../../components/use-page-title';
import { formatDate } from '../families/family-labels';
import { RegionPicker } from '../../components/region-picker';
import { FormModal, optional } from './people-forms';
import { readRegion, RegionBarsCard, share } from './people-ui';

type PairingKind = (typeof PAIRING_KINDS)[number];
type PartnerKind = (typeof PARTNER_KINDS)[number];

function NewOrganizationModal({ rootCode, onClose }: { rootCode: string; onClose: () => void }) {
  const create = useCreatePartnerOrganization();
  return (
    <FormModal<{ regionCode: string; kind: PartnerKind; name: string; contactPerson?: string }>
      title="登记帮扶组织"
      fields={['regionCode', 'kind', 'name', 'contactPerson']}
      done="已登记"
      initialValues={{ regionCode: rootCode }}
      onClose={onClose}
      onSubmit={(v) => create.mutateAsync({ ...v, name: v.name.trim(), contactPerson: optional(v.contactPerson) })}
    >
      {() => (
        <>
          <Form.Item name="regionCode" label="所在区划（县或乡镇）" rules={[{ required: true, message: '请选择区划' }]}>
            <RegionPicker rootCode={rootCode} selectableLevels={['county', 'township']} />
          </Form.Item>
          <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select options={PARTNER_KINDS.map((k) => ({ value: k, label: PARTNER_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="name" label="组织名称" rules={[{ required: true, message: '请填写组织名称' }]}>
            <Input maxLength={LIMITS.shortText} />
          </Form.Item>
          <Form.Item name="contactPerson" label="联系人">
            <Input maxLength={LIMITS.name} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

/** 结对帮扶 (R14): the share of families paired by region, the pairings and the partner organisations. */
export default function PairingsPage() {
  usePageTitle('结对帮扶');
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const regionCode = readRegion(params);
  const kindParam = params.get('kind');
  const kind = (PAIRING_KINDS as readonly string[]).includes(kindParam ?? '') ? (kindParam as PairingKind) : undefined;
  const activeParam = params.get('active');
  const isActive = activeParam === 'true' || activeParam === 'false' ? activeParam : undefined;
  const tab = params.get('tab') === 'organizations' ? 'organizations' : 'pairings';
  const page = readPage(params);
  const coverage = usePairingCoverage(regionCode);
  const pairings = usePairings({ regionCode, kind, isActive, ...page });
  const organizations = usePartnerOrganizations({ regionCode, ...page });
  const [creating, setCreating] = useState(false);
  const canWrite = user.abilities.includes('partner.write');

  const pairingColumns: TableColumnsType<Pairing> = [
    {
      title: '档案',
      dataIndex: 'archiveNo',
      key: 'archiveNo',
      render: (a: string, p) => (
        <Link to={`/families/${p.familyId}#pairings`} style={{ fontFamily: 'monospace' }}>
          {a}
        </Link>
      ),
    },
    { title: '区划', dataIndex: 'regionName', key: 'regionName' },
    {
      title: '结对方',
      key: 'partner',
      render: (_, p) => [p.organizationName, p.volunteerName].filter(Boolean).join(' · '),
    },
    { title: '帮扶内容', dataIndex: 'kind', key: 'kind', render: (k: PairingKind) => PAIRING_KIND_LABELS[k] },
    { title: '结对日期', dataIndex: 'startedOn', key: 'startedOn', render: formatDate },
    {
      title: '状态',
      key: 'state',
      render: (_, p) => (p.isActive ? <Tag color="green">帮扶中</Tag> : <Tag>已结束 {formatDate(p.endedOn)}</Tag>),
    },
    { title: '活动', dataIndex: 'activityCount', key: 'activityCount', align: 'right' },
    { title: '最近活动', dataIndex: 'lastActivityOn', key: 'lastActivityOn', render: formatDate },
  ];
  const organizationColumns: TableColumnsType<PartnerOrganization> = [
    { title: '组织名称', dataIndex: 'name', key: 'name' },
    { title: '类别', dataIndex: 'kind', key: 'kind', render: (k: PartnerKind) => PARTNER_KIND_LABELS[k] },
    { title: '所在区划', dataIndex: 'regionName', key: 'regionName' },
    { title: '联系人', dataIndex: 'contactPerson', key: 'contactPerson', render: (c: string | null) => c ?? '—' },
    { title: '在帮扶家庭', dataIndex: 'activePairings', key: 'activePairings', align: 'right' },
  ];
  const pagination = (total: number, unit: string) => ({
    current: page.page,
    pageSize: page.pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
    showTotal: (n: number) => `共 ${n} ${unit}`,
  });

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          结对帮扶
        </Typography.Title>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            登记帮扶组织
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary">在家庭档案的“结对帮扶”一栏为家庭结对、登记帮扶活动。</Typography.Paragraph>
      <FilterBar
        fields={[
          {
            key: 'region',
            type: 'region',
            rootCode: user.regionCode,
            value: regionCode,
            onChange: (code) => setFilters({ region: code }),
          },
        ]}
      />
      {coverage.isError && (
        <Alert type="error" showIcon title={errorMessage(coverage.error)} style={{ marginBottom: 16 }} />
      )}
      {coverage.data && (
        <div style={{ marginBottom: 16 }}>
          <RegionBarsCard
            testId="pairing-coverage"
            title={`已结对帮扶家庭：${coverage.data.paired} / ${coverage.data.families} 户（${share(coverage.data.paired, coverage.data.families)}），结对 ${coverage.data.pairings} 对`}
            label="各下级区划特殊家庭数与已结对家庭数的条形图，数据见旁边的表格"
            rows={coverage.data.children}
            series={[
              { key: 'families', name: '在册家庭', color: '#8c8c8c' },
              { key: 'paired', name: '已结对', color: '#1d5fa8' },
            ]}
            extraColumns={[
              { title: '结对率', key: 'rate', align: 'right', render: (_, r) => share(r.paired, r.families) },
            ]}
          />
        </div>
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => setFilters({ tab: key === 'organizations' ? 'organizations' : undefined })}
        items={[
          {
            key: 'pairings',
            label: '结对情况',
            children: (
              <>
                <Flex gap={12} wrap style={{ marginBottom: 12 }}>
                  <Select<PairingKind>
                    aria-label="帮扶内容"
                    placeholder="全部帮扶内容"
                    allowClear
                    style={{ width: 160 }}
                    value={kind}
                    options={PAIRING_KINDS.map((k) => ({ value: k, label: PAIRING_KIND_LABELS[k] }))}
                    onChange={(k) => setFilters({ kind: k })}
                  />
                  <Select
                    aria-label="状态"
                    placeholder="全部状态"
                    allowClear
                    style={{ width: 140 }}
                    value={isActive}
                    options={[
                      { value: 'true', label: '帮扶中' },
                      { value: 'false', label: '已结束' },
                    ]}
                    onChange={(v) => setFilters({ active: v })}
                  />
                </Flex>
                {pairings.isError && <Alert type="error" showIcon title={errorMessage(pairings.error)} />}
                <Table<Pairing>
                  data-testid="pairings-table"
                  rowKey="id"
                  size="middle"
                  columns={pairingColumns}
                  dataSource={pairings.data?.data}
                  loading={pairings.isFetching}
                  scroll={{ x: 'max-content' }}
                  locale={{ emptyText: '暂无结对' }}
                  pagination={pagination(pairings.data?.page.total ?? 0, '对')}
                  onChange={(p) => setPage(p.current ?? 1, p.pageSize ?? page.pageSize)}
                />
              </>
            ),
          },
          {
            key: 'organizations',
            label: '帮扶组织',
            children: (
              <Table<PartnerOrganization>
                data-testid="organizations-table"
                rowKey="id"
                size="middle"
                columns={organizationColumns}
                dataSource={organizations.data?.data}
                loading={organizations.isFetching}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: '暂无帮扶组织' }}
                pagination={pagination(organizations.data?.page.total ?? 0, '个')}
                onChange={(p) => setPage(p.current ?? 1, p.pageSize ?? page.pageSize)}
              />
            ),
          },
        ]}
      />
      {creating && <NewOrganizationModal rootCode={user.regionCode} onClose={() => setCreating(false)} />}
    </>
  );
}
