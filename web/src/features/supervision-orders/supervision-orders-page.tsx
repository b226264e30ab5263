import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { RANKING_FIGURE_LABELS, RANKING_FIGURES } from '../../../../common/schemas/supervision-orders';
import { errorMessage } from '../../api/client';
import { downloadFile } from '../../api/imports';
import {
  useRanking,
  useReplySupervisionOrder,
  useSendSupervisionOrder,
  useSupervisionOrders,
  type RankingFigure,
  type SupervisionOrder,
} from '../../api/supervision-orders';
import { useCurrentUser } from '../../app/auth-context';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';

type RankRow = {
  rank: number | null;
  regionCode: string;
  name: string;
  value: number;
  numerator: number;
  denominator: number;
};
const percent = (r: RankRow) => (r.denominator ? `${(r.value * 100).toFixed(1)}%` : '—');

function SendModal({ target, figure, onClose }: { target: RankRow; figure: RankingFigure; onClose: () => void }) {
  const { message } = App.useApp();
  const send = useSendSupervisionOrder();
  const [form] = Form.useForm<{ title: string; body?: string; dueOn: Dayjs }>();
  const submit = async (v: { title: string; body?: string; dueOn: Dayjs }) => {
    try {
      await send.mutateAsync({
        regionCode: target.regionCode,
        title: v.title,
        body: v.body || undefined,
        figure,
        dueOn: v.dueOn.format('YYYY-MM-DD'),
      });
      message.success(`已向${target.name}发出督办`);
      onClose();
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Modal open title={`督办：${target.name}`} onCancel={onClose} footer={null} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          title: `${RANKING_FIGURE_LABELS[figure]}为 ${percent(target)}（第 ${target.rank ?? '—'} 名），请查找原因、限期整改`,
          dueOn: dayjs().add(7, 'day'),
        }}
      >
        <Form.Item name="title" label="督办事项" rules={[{ required: true, message: '请填写督办事项' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="dueOn" label="办理期限" rules={[{ required: true, message: '请选择办理期限' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="body" label="具体要求（可不填）">
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={send.isPending}>
          发出督办
        </Button>
      </Form>
    </Modal>
  );
}

function RankingTab({ canSend }: { canSend: boolean }) {
  const { message } = App.useApp();
  const { params, setFilters } = useUrlFilters();
  const figureParam = params.get('figure');
  const figure: RankingFigure = RANKING_FIGURES.includes(figureParam as RankingFigure)
    ? (figureParam as RankingFigure)
    : 'home_visit_rate';
  const ranking = useRanking(figure);
  const [target, setTarget] = useState<RankRow | null>(null);
  const [exporting, setExporting] = useState(false);
  const exportAll = async () => {
    setExporting(true);
    try {
      await downloadFile('/rankings/export.xlsx', '通报排名.xlsx');
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setExporting(false);
    }
  };
  const columns: TableColumnsType<RankRow> = [
    { title: '名次', dataIndex: 'rank', key: 'rank', width: 64, render: (r: number | null) => r ?? '—' },
    { title: '区划', dataIndex: 'name', key: 'name' },
    { title: RANKING_FIGURE_LABELS[figure], key: 'value', align: 'right', render: (_, r) => percent(r) },
    { title: '完成 / 应完成', key: 'counts', align: 'right', render: (_, r) => `${r.numerator} / ${r.denominator}` },
    ...(canSend
      ? [
          {
            title: '操作',
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, r: RankRow) => (
              <Button size="small" onClick={() => setTarget(r)} aria-label={`督办 ${r.name}`}>
                督办
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
        <Select
          aria-label="排名指标"
          style={{ minWidth: 180 }}
          value={figure}
          options={RANKING_FIGURES.map((f) => ({ value: f, label: RANKING_FIGURE_LABELS[f] }))}
          onChange={(f) => setFilters({ figure: f === 'home_visit_rate' ? undefined : f })}
        />
        {ranking.data && <Typography.Text type="secondary">统计期：{ranking.data.period}</Typography.Text>}
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportAll}>
          导出通报（全部指标）
        </Button>
      </Flex>
      {ranking.isError && <Alert type="error" showIcon title={errorMessage(ranking.error)} />}
      <Table<RankRow>
        rowKey="regionCode"
        size="small"
        columns={columns}
        dataSource={ranking.data?.children}
        loading={ranking.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '没有下级区划' }}
      />
      {target && <SendModal target={target} figure={figure} onClose={() => setTarget(null)} />}
    </>
  );
}

function OrderCard({ order, highlight }: { order: SupervisionOrder; highlight: boolean }) {
  const { message } = App.useApp();
  const reply = useReplySupervisionOrder();
  const [text, setText] = useState('');
  const submit = async () => {
    try {
      await reply.mutateAsync({ id: order.id, reply: text, version: order.version });
      message.success('已答复，督办办结');
    } catch (err) {
      message.error(errorMessage(err));
    }
  };
  return (
    <Card
      size="small"
      data-testid="supervision-order"
      style={highlight ? { borderColor: '#1d5fa8' } : undefined}
      title={
        <Flex gap={8} wrap align="center">
          <span>{order.title}</span>
          {order.status === 'closed' ? <Tag color="green">已答复</Tag> : <Tag color="orange">待答复</Tag>}
          {order.isOverdue && <Tag color="red">已逾期</Tag>}
        </Flex>
      }
    >
      <Typography.Paragraph style={{ marginBottom: 8 }}>
        {order.fromRegionName} → {order.regionName} · 办理期限 {order.dueOn} · {order.createdByName}
      </Typography.Paragraph>
      {order.body && <Typography.Paragraph>{order.body}</Typography.Paragraph>}
      {order.reply && (
        <Alert
          type="success"
          title={`答复（${order.repliedByName ?? ''} ${order.repliedAt?.slice(0, 10) ?? ''}）`}
          description={order.reply}
        />
      )}
      {order.abilities.reply && (
        <Space.Compact style={{ width: '100%' }} direction="vertical">
          <Input.TextArea
            aria-label={`答复：${order.title}`}
            rows={2}
            maxLength={2000}
            placeholder="写明办理情况"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <Button type="primary" onClick={submit} loading={reply.isPending} disabled={text.trim().length < 4}>
            答复并办结
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}

function OrdersTab({ box }: { box: 'sent' | 'received' }) {
  const orders = useSupervisionOrders(box);
  const { params } = useUrlFilters();
  const highlighted = params.get('order');
  if (orders.isError) return <Alert type="error" showIcon title={errorMessage(orders.error)} />;
  if (orders.data && orders.data.length === 0)
    return <Empty description={box === 'sent' ? '尚未发出督办' : '没有收到督办'} />;
  return (
    <Flex vertical gap={12}>
      {(orders.data ?? []).map((o) => (
        <OrderCard key={o.id} order={o} highlight={o.id === highlighted} />
      ))}
    </Flex>
  );
}

/** 督办通报: rank the child regions by each dashboard figure, press a lagging one, answer what came from above. */
export default function SupervisionOrdersPage() {
  usePageTitle('督办通报');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const canRank = user.abilities.includes('ranking.read');
  const canSend = user.abilities.includes('supervisionOrder.send');
  const canReply = user.abilities.includes('supervisionOrder.reply');
  const tabs = [
    ...(canReply ? [{ key: 'received', label: '收到的督办', children: <OrdersTab box="received" /> }] : []),
    ...(canRank ? [{ key: 'ranking', label: '通报排名', children: <RankingTab canSend={canSend} /> }] : []),
    ...(canSend ? [{ key: 'sent', label: '发出的督办', children: <OrdersTab box="sent" /> }] : []),
  ];
  const box = params.get('box');
  // A todo opens the received order; a level that presses others starts on its ranking.
  const fallback = params.get('order') && canReply ? 'received' : canSend ? 'ranking' : (tabs[0]?.key ?? '');
  const active = tabs.some((t) => t.key === box) ? box! : fallback;
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        督办通报
      </Typography.Title>
      <Tabs activeKey={active} items={tabs} onChange={(key) => setFilters({ box: key, order: undefined })} />
    </>
  );
}
