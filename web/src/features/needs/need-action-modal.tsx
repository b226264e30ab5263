import { useState } from 'react';
import { Alert, App, Checkbox, DatePicker, Descriptions, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { LIMITS } from '../../../../common/limits';
import { isApiError } from '../../api/client';
import { useReloadNeeds, useUpdateNeed, type Department, type Need, type NeedUpdate } from '../../api/needs';
import { applyServerErrors } from '../../components/form-errors';
import { codeLabel, formatDate } from '../families/family-labels';
import {
  ACTION_LABELS,
  DEPARTMENT_LABELS,
  NEED_CATEGORY_LABELS,
  type NeedAction,
  DEPARTMENT_OPTIONS,
} from './need-flow';

const FIELDS = ['status', 'statusReason', 'resolution', 'confirmedWithFamily', 'department', 'deadline'] as const;

interface Values {
  department?: Department;
  deadline?: Dayjs;
  resolution?: string;
  confirmedWithFamily?: boolean;
  statusReason?: string;
}

const TITLES: Record<NeedAction, string> = {
  referred: '转办诉求',
  in_progress: '开始办理',
  resolved: '办结诉求',
  unresolvable: '无法解决',
  reassign: '调整责任部门或办理期限',
};

const DONE: Record<NeedAction, string> = {
  referred: '诉求已转办',
  in_progress: '诉求已开始办理',
  resolved: '诉求已办结',
  unresolvable: '已登记为无法解决',
  reassign: '已调整',
};

/**
 * One step of a need's flow (转办 / 开始办理 / 办结 / 无法解决) or a new department or deadline, on the needs
 * page and on the archive page alike. A need changed meanwhile by someone else (409) is reloaded, and the
 * cadre told so: nothing is overwritten.
 */
export function NeedActionModal({ need, action, onClose }: { need: Need; action: NeedAction; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const update = useUpdateNeed();
  const reload = useReloadNeeds();
  const { message, modal } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const movesDepartment = action === 'referred' || action === 'reassign';

  const onFinish = (values: Values) => {
    setError(null);
    const input: NeedUpdate = { version: need.version };
    if (action !== 'reassign') input.status = action;
    if (movesDepartment) {
      if (values.department && values.department !== need.department) input.department = values.department;
      const deadline = values.deadline?.format('YYYY-MM-DD');
      if (deadline && deadline !== need.deadline) input.deadline = deadline;
    }
    if (action === 'resolved') {
      input.resolution = values.resolution?.trim();
      input.confirmedWithFamily = values.confirmedWithFamily === true;
    }
    if (action === 'unresolvable') input.statusReason = values.statusReason?.trim();
    update.mutate(
      { id: need.id, ...input },
      {
        onSuccess: () => {
          message.success(DONE[action]);
          onClose();
        },
        onError: (err) => {
          if (isApiError(err, 'VERSION_CONFLICT')) {
            onClose();
            reload(need.familyId);
            modal.warning({
              title: '该诉求已被他人修改',
              content: '已为您载入最新的办理情况，请核对后再操作。',
              okText: '知道了',
            });
            return;
          }
          setError(applyServerErrors(form, err, FIELDS));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={TITLES[action]}
      okText={action === 'reassign' ? '保存' : ACTION_LABELS[action]}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'archiveNo', label: '档案号', children: need.archiveNo ?? '—' },
          {
            key: 'need',
            label: '诉求',
            children: (
              <Typography.Text style={{ wordBreak: 'break-word' }}>
                {codeLabel(NEED_CATEGORY_LABELS, need.category)}：{need.description}
              </Typography.Text>
            ),
          },
          {
            key: 'department',
            label: '责任部门',
            children: `${codeLabel(DEPARTMENT_LABELS, need.department)}，期限 ${formatDate(need.deadline)}`,
          },
        ]}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ department: need.department as Department, deadline: dayjs(need.deadline) }}
      >
        {movesDepartment && (
          <>
            <Form.Item name="department" label="责任部门" rules={[{ required: true, message: '请选择责任部门' }]}>
              <Select<Department> options={DEPARTMENT_OPTIONS} />
            </Form.Item>
            <Form.Item
              name="deadline"
              label="办理期限"
              extra={need.isOverdue ? '已超过原办理期限，可顺延' : undefined}
              rules={[{ required: true, message: '请选择办理期限' }]}
            >
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) => d.isBefore(dayjs(), 'day') && !d.isSame(dayjs(need.deadline), 'day')}
              />
            </Form.Item>
          </>
        )}
        {action === 'in_progress' && (
          <Typography.Paragraph>
            确认{codeLabel(DEPARTMENT_LABELS, need.department)}部门已受理并开始办理。
          </Typography.Paragraph>
        )}
        {action === 'resolved' && (
          <>
            <Form.Item
              name="resolution"
              label="办理结果"
              rules={[
                { required: true, whitespace: true, message: '请填写办理结果' },
                { max: LIMITS.longText, message: `办理结果不能超过 ${LIMITS.longText} 个字` },
              ]}
            >
              <Input.TextArea
                rows={3}
                maxLength={LIMITS.longText}
                placeholder="例如：已办理医疗救助，报销住院费用 3,200 元"
              />
            </Form.Item>
            <Form.Item
              name="confirmedWithFamily"
              valuePropName="checked"
              rules={[
                {
                  validator: (_, checked?: boolean) =>
                    checked ? Promise.resolve() : Promise.reject(new Error('办结前须与家庭确认办理结果')),
                },
              ]}
            >
              <Checkbox>已与家庭确认</Checkbox>
            </Form.Item>
          </>
        )}
        {action === 'unresolvable' && (
          <Form.Item
            name="statusReason"
            label="无法解决的原因"
            rules={[
              { required: true, whitespace: true, message: '请说明无法解决的原因' },
              { max: LIMITS.shortText, message: `原因不能超过 ${LIMITS.shortText} 个字` },
            ]}
          >
            <Input.TextArea rows={2} maxLength={LIMITS.shortText} placeholder="例如：不符合政策规定，已向家庭解释" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
