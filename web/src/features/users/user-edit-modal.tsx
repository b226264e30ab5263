import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Switch } from 'antd';
import type { Role } from '../../../../common/roles';
import { isApiError } from '../../api/client';
import { userKeys, useUpdateUser, type User, type UserUpdate } from '../../api/users';
import { applyServerErrors } from '../../components/form-errors';
import { RoleRegionFields } from './role-region-fields';

const FIELDS = ['displayName', 'role', 'regionCode', 'isDisabled'] as const;

interface EditValues {
  displayName: string;
  role: Role;
  regionCode: string;
  isDisabled: boolean;
}

/** Edits one user; sends only what changed, with the version it was read at. */
export function UserEditModal({ user, onClose }: { user: User; onClose: () => void }) {
  const [form] = Form.useForm<EditValues>();
  const updateUser = useUpdateUser();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);

  const onFinish = (values: EditValues) => {
    const patch: UserUpdate = { version: user.version };
    const displayName = values.displayName.trim();
    if (displayName !== user.displayName) patch.displayName = displayName;
    if (values.role !== user.role) patch.role = values.role;
    if (values.regionCode !== user.regionCode) patch.regionCode = values.regionCode;
    if (values.isDisabled !== user.isDisabled) patch.isDisabled = values.isDisabled;
    if (Object.keys(patch).length === 1) {
      onClose();
      return;
    }
    setError(null);
    updateUser.mutate(
      { id: user.id, ...patch },
      {
        onSuccess: (saved) => {
          // A role or region change, a re-enable (and a disable of one of the 三员) wait for approval.
          message.success(saved.pendingChange ? '已提交，待审批后生效' : '已保存');
          onClose();
        },
        onError: (err) => {
          // The list is stale; reload it so the next attempt starts from the current version.
          if (isApiError(err, 'VERSION_CONFLICT')) void queryClient.invalidateQueries({ queryKey: userKeys.all });
          setError(applyServerErrors(form, err, FIELDS));
        },
      },
    );
  };

  return (
    <Modal
      title={`编辑用户 ${user.username}`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="保存"
      confirmLoading={updateUser.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<EditValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          displayName: user.displayName,
          role: user.role,
          regionCode: user.regionCode,
          isDisabled: user.isDisabled,
        }}
      >
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请输入姓名' },
            { max: 50, message: '姓名最多 50 个字符' },
          ]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <RoleRegionFields form={form} />
        <Form.Item
          name="isDisabled"
          label="停用账户"
          valuePropName="checked"
          extra="停用后该账户立即退出登录，且不能再登录，直到重新启用。"
        >
          <Switch checkedChildren="已停用" unCheckedChildren="正常" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
