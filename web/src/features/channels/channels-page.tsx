import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined, RobotOutlined, WarningOutlined } from '@ant-design/icons';
import { CHANNEL_KIND_LABELS } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useChannelCoverage, useChannels, type Channel, type ChannelCoverage } from '../../api/channels';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { levelOfCode } from '../stat-returns/stat-return-labels';
import { formatDate } from '../notices/notice-labels';
import { ChannelForm } from './channel-form';

type CountyRow = ChannelCoverage['children'][number];

function RobotState({ channel }: { channel: Channel }) {
  if (channel.kind !== 'wecom_group') return <Typography.Text type="secondary">无（手工张贴）</Typography.Text>;
  if (!channel.hasRobotKey) return <Tag>未设置群机器人，改为手工张贴</Tag>;
  return (
    <Space size={4} wrap>
      <Tag icon={<RobotOutlined />} color={channel.robotStatus === 'failed' ? 'error' : 'blue'}>
        key ****{channel.robotKeyLast4}
      </Tag>
      {channel.robotStatus === 'failed' ? (
        <Typography.Text type="danger">推送失败：{channel.robotError}</Typography.Text>
      ) : channel.robotStatus === 'ok' ? (
        <Typography.Text type="success">推送正常</Typography.Text>
      ) : null}
    </Space>
  );
}

function ChannelCard({ channel, onEdit }: { channel: Channel; onEdit?: () => void }) {
  return (
    <Card
      size="small"
      data-testid="channel-card"
      title={
        <Space size={6} wrap>
          <Tag color={channel.kind === 'wecom_group' ? 'blue' : channel.kind === 'qq_group' ? 'cyan' : 'green'}>
            {CHANNEL_KIND_LABELS[channel.kind]}
          </Tag>
          <span style={{ whiteSpace: 'normal' }}>{channel.name}</span>
          {!channel.isActive && <Tag>停用</Tag>}
        </Space>
      }
      extra={
        onEdit && (
          <Button size="small" icon={<EditOutlined />} onClick={onEdit} aria-label={`编辑 ${channel.name}`}>
            编辑
          </Button>
        )
      }
    >
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'region', label: '所属县', children: channel.regionName },
          { key: 'number', label: '群号', children: channel.number ?? '—' },
          { key: 'size', label: '人数', children: channel.size ?? '—' },
          { key: 'created', label: '建群日期', children: formatDate(channel.createdOn) },
          {
            key: 'admins',
            label: '管理员',
            children: channel.admins.length ? (
              <Flex vertical gap={2}>
                {channel.admins.map((a, i) => (
                  <span key={i}>
                    {a.name}
                    <Tag style={{ marginInlineStart: 6 }} color={a.kind === 'family' ? 'orange' : 'default'}>
                      {a.kind === 'family' ? '家庭成员' : '工作人员'}
                    </Tag>
                    {a.phoneMask && <Typography.Text type="secondary">{a.phoneMask}</Typography.Text>}
                  </span>
                ))}
              </Flex>
            ) : (
              <Typography.Text type="warning">未登记</Typography.Text>
            ),
          },
          { key: 'robot', label: '自动推送', children: <RobotState channel={channel} /> },
        ]}
      />
    </Card>
  );
}

/** The city and the province: which counties have no group in use, flagged, with the table behind it. */
function CoverageCard({ regionCode, onPick }: { regionCode: string; onPick: (code: string) => void }) {
  const coverage = useChannelCoverage(regionCode, true);
  const columns: TableColumnsType<CountyRow> = [
    { title: '县（市、区）', dataIndex: 'name', key: 'name' },
    { title: '在用群数', dataIndex: 'channels', key: 'channels', align: 'right' },
    {
      title: '状态',
      key: 'state',
      render: (_, r) =>
        r.hasChannel ? (
          <Tag color="success">已建群</Tag>
        ) : (
          <Tag color="error" icon={<WarningOutlined />}>
            未建群
          </Tag>
        ),
    },
    {
      title: '',
      key: 'open',
      render: (_, r) =>
        r.hasChannel ? (
          <Button size="small" type="link" onClick={() => onPick(r.regionCode)}>
            查看群
          </Button>
        ) : null,
    },
  ];
  const data = coverage.data;
  const missing = data ? data.children.filter((c) => !c.hasChannel) : [];
  return (
    <Card title="各县建群情况" size="small" data-testid="channel-coverage">
      {coverage.isError && <Alert type="error" showIcon title={errorMessage(coverage.error)} />}
      {data && (
        <Typography.Paragraph>
          共 {data.counties} 个县（市、区），已建群 {data.withChannel} 个
          {missing.length > 0 && (
            <Typography.Text type="danger">
              ，未建群 {missing.length} 个：{missing.map((m) => m.name).join('、')}
            </Typography.Text>
          )}
          。
        </Typography.Paragraph>
      )}
      <Table
        rowKey="regionCode"
        size="small"
        loading={coverage.isPending}
        columns={columns}
        dataSource={data?.children ?? []}
        pagination={(data?.children.length ?? 0) > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        rowClassName={(r) => (r.hasChannel ? '' : 'channel-missing')}
      />
    </Card>
  );
}

/**
 * 渠道管理 (R10): the county's QQ / WeChat / WeCom groups, kept by the county's staff; the city and the
 * province above read them, with the counties that have no group flagged.
 */
export default function ChannelsPage() {
  usePageTitle('渠道管理');
  const user = useCurrentUser();
  const level = levelOfCode(user.regionCode);
  const isCounty = level === 'county';
  const canWrite = isCounty && user.abilities.includes('channel.write');
  const { params, setFilters } = useUrlFilters();
  const county = isCounty ? user.regionCode : (params.get('county') ?? undefined);
  const channels = useChannels(county);
  const coverage = useChannelCoverage(user.regionCode, !isCounty);
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);

  const list = channels.data ?? [];
  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          渠道管理
        </Typography.Title>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            登记群
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        每个县（市、区）为特殊家庭建立的QQ群、微信群或企业微信群。企业微信群配置群机器人后，审批通过的公告自动推送；QQ群、微信群由群管理员手工张贴。
        {!isCounty && '（由县级工作人员维护，此处只读）'}
      </Typography.Paragraph>
      {!isCounty && <CoverageCard regionCode={user.regionCode} onPick={(code) => setFilters({ county: code })} />}
      {isCounty && !channels.isPending && list.filter((c) => c.isActive).length === 0 && (
        <Alert type="warning" showIcon title="本县还没有在用的群，市州将看到“未建群”提示。请登记本县的特殊家庭群。" />
      )}
      <Card
        size="small"
        title={isCounty ? `${user.regionName}的群` : '群列表'}
        extra={
          !isCounty && (
            <Select
              allowClear
              placeholder="全部县（市、区）"
              style={{ width: 180 }}
              value={county}
              onChange={(v?: string) => setFilters({ county: v })}
              options={(coverage.data?.children ?? [])
                .filter((c) => c.hasChannel)
                .map((c) => ({ value: c.regionCode, label: c.name }))}
            />
          )
        }
      >
        {channels.isError && <Alert type="error" showIcon title={errorMessage(channels.error)} />}
        {!channels.isPending && list.length === 0 ? (
          <Empty description="暂无登记的群" />
        ) : (
          <Row gutter={[12, 12]}>
            {list.map((c) => (
              <Col key={c.id} xs={24} lg={12} xxl={8}>
                <ChannelCard channel={c} onEdit={canWrite ? () => setEditing(c) : undefined} />
              </Col>
            ))}
          </Row>
        )}
      </Card>
      {canWrite && (
        <ChannelForm
          open={editing !== null}
          regionCode={user.regionCode}
          channel={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
