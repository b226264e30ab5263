import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, App, Button, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { FAMILY_STATUS, FAMILY_TYPE } from '../../../../common/code-lists';
import { errorMessage } from '../../api/client';
import { useFamilySearch, type FamilyListItem, type FamilySearchInfo, type FamilyType } from '../../api/families';
import { downloadFile, FAMILY_EXPORT_PATH } from '../../api/imports';
import { useCurrentUser } from '../../app/auth-context';
import { FilterBar } from '../../components/filter-bar';
import { LinkButton } from '../../components/link-button';
import { PAGE_SIZE_OPTIONS } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
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
import { isPersonalNumber, useFamilyListState } from './use-family-list-state';

const YES_NO = [
  { value: 'true', label: '是' },
  { value: 'false', label: '否' },
];
const ELIGIBLE = [
  { value: 'true', label: '符合特扶条件' },
  { value: 'false', label: '不符合特扶条件' },
];

// The page's own spans: the search and the region share a row from 768 px, the selects four to a row.
const WIDE = { xs: 24, md: 12, xl: 8 };
const NARROW = { xs: 12, md: 6, xl: 4 };

/** An empty search says what was searched, where and how, and what else can be typed (issue 11 item 9). */
function EmptySearch({ hasFilters, search }: { hasFilters: boolean; search?: FamilySearchInfo }) {
  if (!hasFilters) return <>暂无档案</>;
  if (!search) return <>没有符合条件的档案</>;
  return (
    <Flex vertical gap={4} align="center" data-testid="empty-search">
      <Typography.Text>{search.description}，没有找到档案。</Typography.Text>
      <Typography.Text type="secondary">
        可输入姓名中的任意部分（如“秀英”）、身份证号码后 6
        位、完整身份证号码、手机号码或档案编号；也可清除其他筛选条件或扩大区划。
      </Typography.Text>
    </Flex>
  );
}

export default function FamiliesPage() {
  usePageTitle('特殊家庭档案');
  const user = useCurrentUser();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { q, filters, page, search, setFilter, setQuery, setPage, clearAll } = useFamilyListState();
  const families = useFamilySearch(search);
  const [exporting, setExporting] = useState(false);

  const canWrite = FAMILY_WRITERS.includes(user.role);
  const canImport = FAMILY_IMPORTERS.includes(user.role);
  const canExport = FAMILY_EXPORTERS.includes(user.role);
  const showStats = STATS_READERS.includes(user.role);
  const hasFilters = q !== '' || Object.values(filters).some((v) => v !== undefined);

  // What 导出 exports, said on the button: the list as filtered now (a search by a full ID number or phone
  // is left out of the export's link, so the export is then the list without it).
  const exportsAll = q !== '' && isPersonalNumber(q);
  const exportCount = exportsAll ? undefined : families.data?.page.total;

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
    {
      title: '独生子女',
      dataIndex: 'childName',
      key: 'childName',
      // Phones keep 档案编号, 父母 and 状态: the row opens the archive, which has the rest (issue 11 item 6).
      responsive: ['md'],
      render: (name: string | null) => name ?? '—',
    },
    {
      title: '类别',
      dataIndex: 'familyType',
      key: 'familyType',
      responsive: ['sm'],
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
      responsive: ['lg'],
      render: (flag: boolean) =>
        flag ? <SpecialDifficultyTag /> : <Typography.Text type="secondary">—</Typography.Text>,
    },
    { title: '户籍村（居）', dataIndex: 'regionName', key: 'regionName', responsive: ['md'] },
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
            <Tooltip
              title={
                exportsAll
                  ? '按号码的搜索不写入导出链接：导出的是其余筛选条件下的档案；身份证号和电话已脱敏'
                  : `按当前筛选条件${q ? `（含搜索“${q}”）` : ''}导出，身份证号和电话已脱敏`
              }
            >
              <Button
                icon={<DownloadOutlined />}
                loading={exporting}
                onClick={exportList}
                data-testid="family-export"
                disabled={exportCount === 0}
              >
                {exportsAll ? '导出（不按号码筛选）' : exportCount === undefined ? '导出' : `导出 ${exportCount} 户`}
              </Button>
            </Tooltip>
          )}
        </Space>
      </Flex>

      <FilterBar
        fields={[
          {
            key: 'q',
            type: 'search',
            col: WIDE,
            label: '搜索档案',
            placeholder: '姓名任意部分、身份证号（或后 6 位）、电话、档案编号',
            enterButton: '搜索',
            maxLength: 50,
            autoComplete: 'off',
            value: q,
            onSearch: setQuery,
          },
          {
            key: 'region',
            type: 'region',
            col: WIDE,
            rootCode: user.regionCode,
            value: filters.regionCode,
            onChange: (code) => setFilter('region', code),
          },
          {
            key: 'type',
            type: 'select',
            col: NARROW,
            label: '家庭类别',
            placeholder: '全部类别',
            options: codeOptions(FAMILY_TYPE),
            value: filters.familyType,
            onChange: (value) => setFilter('type', value),
          },
          {
            key: 'status',
            type: 'select',
            col: NARROW,
            label: '档案状态',
            placeholder: '全部状态',
            options: codeOptions(FAMILY_STATUS),
            value: filters.status,
            onChange: (value) => setFilter('status', value),
          },
          {
            key: 'difficulty',
            type: 'select',
            col: NARROW,
            label: '特殊困难',
            placeholder: '特殊困难：不限',
            options: YES_NO.map((o) => ({ ...o, label: `特殊困难：${o.label}` })),
            value: filters.isSpecialDifficulty,
            onChange: (value) => setFilter('difficulty', value),
          },
          {
            key: 'eligible',
            type: 'select',
            col: NARROW,
            label: '特别扶助',
            placeholder: '特扶：不限',
            options: ELIGIBLE,
            value: filters.isEligible,
            onChange: (value) => setFilter('eligible', value),
          },
        ]}
        reset={{ visible: hasFilters, onReset: clearAll, col: { xs: 24, md: 6, xl: 4 } }}
      />

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
        locale={{ emptyText: <EmptySearch hasFilters={hasFilters} search={families.data?.search} /> }}
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
