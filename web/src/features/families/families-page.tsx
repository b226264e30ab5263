import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Col, Flex, Input, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { FAMILY_STATUS, FAMILY_TYPE } from '../../../../common/code-lists';
import { parseIdNumber } from '../../../../common/validators/id-number';
import { parsePhone } from '../../../../common/validators/phone';
import { errorMessage } from '../../api/client';
import { useFamilySearch, type FamilyListItem, type FamilyType } from '../../api/families';
import { downloadFile, FAMILY_EXPORT_PATH } from '../../api/imports';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { RegionPicker } from '../regions/region-picker';
import {
  codeOptions,
  FAMILY_EXPORTERS,
  FAMILY_IMPORTERS,
  FAMILY_WRITERS,
  RELATION_LABELS,
  STATS_READERS,
} from './family-labels';
import { FamilyStatusTag, FamilyTypeTag, SpecialDifficultyTag } from './family-tags';
import { RegionStatsPanel } from './region-stats-panel';
import { useFamilyListState } from './use-family-list-state';

const YES_NO = [
  { value: 'true', label: '是' },
  { value: 'false', label: '否' },
];
const ELIGIBLE = [
  { value: 'true', label: '符合特扶条件' },
  { value: 'false', label: '不符合特扶条件' },
];

/** A search for one person's ID number or phone is not written into the export's link. */
function isPersonalNumber(q: string): boolean {
  return parseIdNumber(q).ok || parsePhone(q).ok;
}

export default function FamiliesPage() {
  usePageTitle('特殊家庭档案');
  const user = useCurrentUser();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { q, filters, page, search, setFilter, setQuery, setPage, clearAll } = useFamilyListState();
  const families = useFamilySearch(search);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const [exporting, setExporting] = useState(false);

  const canWrite = FAMILY_WRITERS.includes(user.role);
  const canImport = FAMILY_IMPORTERS.includes(user.role);
  const canExport = FAMILY_EXPORTERS.includes(user.role);
  const showStats = STATS_READERS.includes(user.role);
  const hasFilters = q !== '' || Object.values(filters).some((v) => v !== undefined);

  const exportList = async () => {
    setExporting(true);
    try {
      await downloadFile(FAMILY_EXPORT_PATH, '特殊家庭名单.xlsx', {
        ...filters,
        q: q && !isPersonalNumber(q) ? q : undefined,
      });
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumnsType<FamilyListItem> = [
    {
      title: '档案编号',
      dataIndex: 'archiveNo',
      key: 'archiveNo',
      render: (archiveNo: string, family) => <Link to={`/families/${family.id}`}>{archiveNo}</Link>,
    },
    {
      title: '父母',
      key: 'members',
      render: (_, family) => (
        <Flex vertical gap={2}>
          {family.members.map((m) => (
            <span key={m.relation} style={{ whiteSpace: 'nowrap' }}>
              <Typography.Text type="secondary">{RELATION_LABELS[m.relation]}</Typography.Text> {m.name}{' '}
              <Typography.Text type="secondary" style={{ fontFamily: 'monospace', fontSize: 12 }}>
                {m.idNumber}
              </Typography.Text>
              {m.isDeceased && <Tag style={{ marginInlineStart: 4 }}>已故</Tag>}
            </span>
          ))}
        </Flex>
      ),
    },
    { title: '独生子女', dataIndex: 'childName', key: 'childName', render: (name: string | null) => name ?? '—' },
    {
      title: '类别',
      dataIndex: 'familyType',
      key: 'familyType',
      render: (type: FamilyType) => <FamilyTypeTag type={type} />,
    },
    {
      title: '状态',
      key: 'status',
      render: (_, family) => <FamilyStatusTag status={family.status} reason={family.statusReason} />,
    },
    {
      title: '特殊困难',
      dataIndex: 'isSpecialDifficulty',
      key: 'isSpecialDifficulty',
      render: (flag: boolean) =>
        flag ? <SpecialDifficultyTag /> : <Typography.Text type="secondary">—</Typography.Text>,
    },
    { title: '户籍村（居）', dataIndex: 'regionName', key: 'regionName' },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          特殊家庭档案
        </Typography.Title>
        <Space wrap>
          {canWrite && (
            <LinkButton to="/families/new" type="primary" icon={<PlusOutlined />}>
              新建档案
            </LinkButton>
          )}
          {canImport && (
            <LinkButton to="/families/import" icon={<UploadOutlined />}>
              批量导入
            </LinkButton>
          )}
          {canExport && (
            <Tooltip title="按当前筛选条件导出，身份证号和电话已脱敏">
              <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportList}>
                导出
              </Button>
            </Tooltip>
          )}
        </Space>
      </Flex>

      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={12} xl={8}>
          <Input.Search
            aria-label="搜索档案"
            placeholder="姓名、身份证号、电话或档案编号"
            allowClear
            enterButton="搜索"
            maxLength={50}
            autoComplete="off"
            value={text}
            onChange={(event) => setText(event.target.value)}
            onSearch={(value) => setQuery(value)}
          />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <RegionPicker
            rootCode={user.regionCode}
            placeholder="全部区划"
            allowClear
            value={filters.regionCode}
            onChange={(code) => setFilter('region', code)}
          />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Select
            aria-label="家庭类别"
            style={{ width: '100%' }}
            placeholder="全部类别"
            allowClear
            options={codeOptions(FAMILY_TYPE)}
            value={filters.familyType}
            onChange={(value?: string) => setFilter('type', value)}
          />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Select
            aria-label="档案状态"
            style={{ width: '100%' }}
            placeholder="全部状态"
            allowClear
            options={codeOptions(FAMILY_STATUS)}
            value={filters.status}
            onChange={(value?: string) => setFilter('status', value)}
          />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Select
            aria-label="特殊困难"
            style={{ width: '100%' }}
            placeholder="特殊困难：不限"
            allowClear
            options={YES_NO.map((o) => ({ ...o, label: `特殊困难：${o.label}` }))}
            value={filters.isSpecialDifficulty}
            onChange={(value?: string) => setFilter('difficulty', value)}
          />
        </Col>
        <Col xs={12} md={6} xl={4}>
          <Select
            aria-label="特别扶助"
            style={{ width: '100%' }}
            placeholder="特扶：不限"
            allowClear
            options={ELIGIBLE}
            value={filters.isEligible}
            onChange={(value?: string) => setFilter('eligible', value)}
          />
        </Col>
        {hasFilters && (
          <Col xs={24} md={6} xl={4}>
            <Button onClick={clearAll}>清除条件</Button>
          </Col>
        )}
      </Row>

      {showStats && (
        <RegionStatsPanel
          regionCode={filters.regionCode ?? user.regionCode}
          onChooseRegion={(code) => setFilter('region', code)}
        />
      )}

      {families.isError && (
        <Alert type="error" showIcon title={errorMessage(families.error)} style={{ marginBottom: 16 }} />
      )}

      <Table<FamilyListItem>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={families.data?.data}
        loading={families.isFetching}
        scroll={{ x: 'max-content' }}
        onRow={(family) => ({
          onClick: (event) => {
            if (!(event.target as HTMLElement).closest('a, button')) navigate(`/families/${family.id}`);
          },
          style: { cursor: 'pointer' },
        })}
        locale={{ emptyText: hasFilters ? '没有符合条件的档案' : '暂无档案' }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: families.data?.page.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: PAGE_SIZE_OPTIONS.map(String),
          showTotal: (total) => `共 ${total} 户`,
        }}
        onChange={(pagination) => setPage(pagination.current ?? 1, pagination.pageSize ?? page.pageSize)}
      />
    </>
  );
}
