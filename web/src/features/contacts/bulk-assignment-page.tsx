import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Alert, App, Button, Card, Col, Flex, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { errorMessage, isApiError } from '../../api/client';
import { useBulkAssign, useBulkRoster, useContacts, type BulkAssignmentRow } from '../../api/contacts';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { RegionPicker } from '../../components/region-picker';
import { townshipOf } from './contact-labels';

type Holder = BulkAssignmentRow['township'];

/** The post as it is, or as it will be once the chosen cadre replaces it (kept when nothing was chosen). */
function PostCell({
  current,
  next,
  selected,
}: {
  current: Holder;
  next?: { id: string; name: string };
  selected: boolean;
}) {
  const now = current ? current.name : <Tag color="orange">未安排</Tag>;
  if (!selected || !next || current?.contactId === next.id) return <>{now}</>;
  return (
    <Flex gap={4} wrap align="center">
      <Typography.Text delete={!!current} type="secondary">
        {current ? current.name : '未安排'}
      </Typography.Text>
      <span aria-hidden>→</span>
      <Typography.Text strong>{next.name}</Typography.Text>
    </Flex>
  );
}

/**
 * 批量安排双岗 (issue 11 item 7): a township that imported 30 families assigns their township cadre and village
 * cadre in one go. Each family's current posts are shown and kept unless a cadre is chosen for that post; the
 * server checks each family's version and writes all or nothing.
 */
export default function BulkAssignmentPage() {
  usePageTitle('批量安排双岗');
  const user = useCurrentUser();
  const { message } = App.useApp();
  const { params, setFilters } = useUrlFilters();
  const region = params.get('region') ?? undefined;
  const roster = useBulkRoster(region);
  const assign = useBulkAssign();
  const [selected, setSelected] = useState<string[]>([]);
  const [townshipId, setTownshipId] = useState<string>();
  const [villageId, setVillageId] = useState<string>();
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{ message: string; details: string[] } | null>(null);

  const townshipCadres = useContacts(
    {
      post: 'township_cadre',
      regionCode: region ? townshipOf(region) : undefined,
      isActive: true,
      page: 1,
      pageSize: 100,
    },
    !!region,
  );
  const villageCadres = useContacts(
    { post: 'village_cadre', regionCode: region, isActive: true, page: 1, pageSize: 100 },
    !!region,
  );
  const optionsOf = (list: typeof townshipCadres) =>
    (list.data?.data ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.familyCount} 户）` }));
  const nameOf = (list: typeof townshipCadres, id?: string) => {
    const c = list.data?.data.find((x) => x.id === id);
    return c && id ? { id, name: c.name } : undefined;
  };
  const nextTownship = nameOf(townshipCadres, townshipId);
  const nextVillage = nameOf(villageCadres, villageId);
  const rows = useMemo(() => roster.data ?? [], [roster.data]);
  const unassigned = rows.filter((r) => !r.township || !r.village).map((r) => r.familyId);

  const submit = async () => {
    setProblems(null);
    try {
      const result = await assign.mutateAsync({
        regionCode: region!,
        townshipContactId: townshipId,
        villageContactId: villageId,
        families: rows
          .filter((r) => selected.includes(r.familyId))
          .map((r) => ({ familyId: r.familyId, version: r.version })),
        reason: reason.trim() || undefined,
      });
      message.success(`已为 ${selected.length} 户安排双岗（${result.changed} 户有变化）`);
      setSelected([]);
    } catch (err) {
      setProblems({
        message: errorMessage(err),
        details: isApiError(err) ? err.details.map((d) => d.message) : [],
      });
    }
  };

  const columns: TableColumnsType<BulkAssignmentRow> = [
    {
      title: '档案编号',
      dataIndex: 'archiveNo',
      key: 'archiveNo',
      render: (no: string, r) => <Link to={`/families/${r.familyId}/contacts`}>{no}</Link>,
    },
    { title: '家庭', dataIndex: 'familyName', key: 'familyName' },
    {
      title: '乡镇包村干部',
      key: 'township',
      render: (_, r) => <PostCell current={r.township} next={nextTownship} selected={selected.includes(r.familyId)} />,
    },
    {
      title: '村居干部',
      key: 'village',
      render: (_, r) => <PostCell current={r.village} next={nextVillage} selected={selected.includes(r.familyId)} />,
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          批量安排双岗
        </Typography.Title>
        <Link to="/contacts">返回联系人库</Link>
      </Flex>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={12} xl={8}>
          <RegionPicker
            rootCode={user.regionCode}
            selectableLevels={['village']}
            placeholder="选择村（居）"
            value={region}
            onChange={(code) => {
              setSelected([]);
              setFilters({ region: code });
            }}
          />
        </Col>
      </Row>
      {!region && <Alert type="info" showIcon title="先选择一个村（居），列出该村在档家庭及其现有双岗。" />}
      {roster.isError && <Alert type="error" showIcon title={errorMessage(roster.error)} />}
      {region && !roster.isError && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={16}>
            <Flex gap={8} wrap style={{ marginBottom: 8 }}>
              <Button size="small" onClick={() => setSelected(rows.map((r) => r.familyId))}>
                全选 {rows.length} 户
              </Button>
              <Button size="small" onClick={() => setSelected(unassigned)} disabled={unassigned.length === 0}>
                选择未配齐的 {unassigned.length} 户
              </Button>
              <Button size="small" onClick={() => setSelected([])} disabled={selected.length === 0}>
                清除选择
              </Button>
            </Flex>
            <Table<BulkAssignmentRow>
              rowKey="familyId"
              size="small"
              columns={columns}
              dataSource={rows}
              loading={roster.isFetching}
              pagination={false}
              scroll={{ x: 'max-content' }}
              rowSelection={{
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (r) => ({ 'aria-label': `选择 ${r.archiveNo}` }),
              }}
              locale={{ emptyText: '该村（居）没有在档家庭' }}
            />
          </Col>
          <Col xs={24} xl={8}>
            <Card title={`为选中的 ${selected.length} 户安排`} size="small">
              <Form layout="vertical" onFinish={submit}>
                <Form.Item label="乡镇包村干部" htmlFor="bulk-township" extra="不选则保留各户现有的乡镇包村干部">
                  <Select
                    id="bulk-township"
                    allowClear
                    placeholder="保留现有"
                    options={optionsOf(townshipCadres)}
                    value={townshipId}
                    onChange={setTownshipId}
                  />
                </Form.Item>
                <Form.Item label="村居干部" htmlFor="bulk-village" extra="不选则保留各户现有的村居干部">
                  <Select
                    id="bulk-village"
                    allowClear
                    placeholder="保留现有"
                    options={optionsOf(villageCadres)}
                    value={villageId}
                    onChange={setVillageId}
                  />
                </Form.Item>
                <Form.Item label="变更原因（可不填）" htmlFor="bulk-reason">
                  <Input
                    id="bulk-reason"
                    maxLength={LIMITS.shortText}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                  />
                </Form.Item>
                {problems && (
                  <Alert
                    type="error"
                    showIcon
                    style={{ marginBottom: 12 }}
                    title={problems.message}
                    description={
                      problems.details.length > 1 ? (
                        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                          {problems.details.map((d) => (
                            <li key={d}>{d}</li>
                          ))}
                        </ul>
                      ) : undefined
                    }
                  />
                )}
                <Button
                  type="primary"
                  htmlType="submit"
                  block
                  loading={assign.isPending}
                  disabled={selected.length === 0 || (!townshipId && !villageId)}
                >
                  确认安排 {selected.length} 户
                </Button>
              </Form>
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
