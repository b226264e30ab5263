import { useState } from 'react';
import { Alert, App, Checkbox, DatePicker, Flex, Form, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LIMITS } from '../../../../common/limits';
import { useCreateJointMeeting, useNeeds, type Department, type Need } from '../../api/needs';
import { applyServerErrors } from '../../components/form-errors';
import { formatDate } from '../families/family-labels';
import { DEPARTMENT_COLUMN, DESCRIPTION_COLUMN, NeedStatusTag } from './need-actions';
import { DEPARTMENT_OPTIONS } from './need-flow';

const FIELDS = ['heldOn', 'departments', 'minutes'] as const;
const AGENDA_PAGE_SIZE = 5;

interface Values {
  heldOn: Dayjs;
  departments: Department[];
  minutes?: string;
  /** Need id → the meeting's decision on it. */
  decisions?: Record<string, string>;
}

const AGENDA_COLUMNS: TableColumnsType<Need> = [
  { title: '档案号', dataIndex: 'archiveNo', key: 'archiveNo', render: (a: string | null) => a ?? '—' },
  DEPARTMENT_COLUMN,
  DESCRIPTION_COLUMN,
  {
    title: '期限',
    key: 'deadline',
    render: (_, n) => (
      <Flex gap={4} wrap>
        <span>{formatDate(n.deadline)}</span>
        {n.isOverdue && <Tag color="red">已超期</Tag>}
      </Flex>
    ),
  },
  { title: '状态', key: 'status', render: (_, n) => <NeedStatusTag status={n.status} /> },
];

/**
 * 召开联席会议 (R11): the date, the departments present (at least two), the minutes, and the agenda —
 * needs of the county still being handled, each with the meeting's decision.
 */
export function JointMeetingModal({ countyCode, onClose }: { countyCode: string; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const create = useCreateJointMeeting();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [department, setDepartment] = useState<Department | undefined>();
  const [page, setPage] = useState(1);
  const [agenda, setAgenda] = useState<Need[]>([]);
  const candidates = useNeeds({
    regionCode: countyCode,
    isClosed: 'false',
    department,
    page,
    pageSize: AGENDA_PAGE_SIZE,
  });

  const onFinish = (values: Values) => {
    setError(null);
    create.mutate(
      {
        countyCode,
        heldOn: values.heldOn.format('YYYY-MM-DD'),
        departments: values.departments,
        minutes: values.minutes?.trim() || null,
        items: agenda.map((n) => ({ needId: n.id, decision: (values.decisions?.[n.id] ?? '').trim() })),
      },
      {
        onSuccess: (meeting) => {
          message.success(`已登记 ${formatDate(meeting.heldOn)} 的联席会议，决定事项 ${meeting.items.length} 项`);
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <Modal
      open
      title="召开联席会议"
      okText="登记会议"
      width={800}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ heldOn: dayjs(), departments: [] }}
      >
        <Form.Item name="heldOn" label="会议日期" rules={[{ required: true, message: '请选择会议日期' }]}>
          <DatePicker style={{ width: '100%', maxWidth: 240 }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item
          name="departments"
          label="参会部门"
          rules={[
            {
              validator: (_, value?: Department[]) =>
                (value?.length ?? 0) >= 2 ? Promise.resolve() : Promise.reject(new Error('联席会议至少两个部门参加')),
            },
          ]}
        >
          <Checkbox.Group options={DEPARTMENT_OPTIONS} />
        </Form.Item>
        <Form.Item
          name="minutes"
          label="会议纪要"
          rules={[{ max: LIMITS.longText, message: `会议纪要不能超过 ${LIMITS.longText} 个字` }]}
        >
          <Input.TextArea rows={3} maxLength={LIMITS.longText} placeholder="会议研究的主要问题和总体安排" />
        </Form.Item>

        <Typography.Title level={5}>议题：本县在办的诉求</Typography.Title>
        <Flex gap={8} align="center" wrap style={{ marginBottom: 8 }}>
          <Select<Department>
            aria-label="按责任部门筛选议题"
            placeholder="全部部门"
            allowClear
            options={DEPARTMENT_OPTIONS}
            value={department}
            onChange={(d) => {
              setDepartment(d);
              setPage(1);
            }}
            style={{ width: 140 }}
          />
          <Typography.Text type="secondary">勾选列入议题的诉求，已选 {agenda.length} 件</Typography.Text>
        </Flex>
        {candidates.isError && <Alert type="error" showIcon title="诉求加载失败，请稍后再试" />}
        <Table<Need>
          data-testid="agenda-candidates"
          rowKey="id"
          size="small"
          columns={AGENDA_COLUMNS}
          dataSource={candidates.data?.data}
          loading={candidates.isFetching}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: '本县暂无在办的诉求' }}
          rowSelection={{
            selectedRowKeys: agenda.map((n) => n.id),
            preserveSelectedRowKeys: true,
            onChange: (_keys, rows) => {
              // Rows of other pages arrive as undefined: keep what was picked there.
              const shown = new Set((candidates.data?.data ?? []).map((n) => n.id));
              const picked = rows.filter((n): n is Need => n !== undefined && shown.has(n.id));
              setAgenda((current) => [...current.filter((n) => !shown.has(n.id)), ...picked]);
            },
          }}
          pagination={{
            current: page,
            pageSize: AGENDA_PAGE_SIZE,
            total: candidates.data?.page.total ?? 0,
            showSizeChanger: false,
            size: 'small',
            onChange: setPage,
          }}
          style={{ marginBottom: 16 }}
        />

        {agenda.map((n, i) => (
          <Form.Item
            key={n.id}
            name={['decisions', n.id]}
            label={`决定事项 ${i + 1}：${n.archiveNo ?? ''} ${n.description}`}
            rules={[
              { required: true, whitespace: true, message: '请填写会议对该诉求的决定' },
              { max: LIMITS.longText, message: `决定事项不能超过 ${LIMITS.longText} 个字` },
            ]}
          >
            <Input.TextArea
              rows={2}
              maxLength={LIMITS.longText}
              placeholder="例如：民政部门两周内入户核查，符合条件的给予临时救助"
            />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}
