import { useState } from 'react';
import { Alert, App, Descriptions, Form, Input, Modal, Select } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { useContacts, useHandover, type Contact } from '../../api/contacts';
import { applyServerErrors } from '../../components/form-errors';
import { POST_LABELS } from './contact-labels';

const FIELDS = ['successorContactId', 'reason'] as const;

interface HandoverValues {
  successorContactId: string;
  reason: string;
}

/** 交接: all of a transferred cadre's families go to one successor of the same post, with the reason kept. */
export function HandoverModal({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const [form] = Form.useForm<HandoverValues>();
  const handover = useHandover();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const candidates = useContacts({ post: contact.post, isActive: true, q: search || undefined, page: 1, pageSize: 50 });
  const options = (candidates.data?.data ?? [])
    .filter((c) => c.id !== contact.id)
    .map((c) => ({ value: c.id, label: `${c.name}（${c.regionName}，现联系 ${c.familyCount} 户）` }));

  const onFinish = (values: HandoverValues) => {
    setError(null);
    handover.mutate(
      { id: contact.id, successorContactId: values.successorContactId, reason: values.reason.trim() },
      {
        onSuccess: ({ moved }) => {
          message.success(`已将 ${moved} 户家庭交接给接任联系人`);
          onClose();
        },
        onError: (err) => setError(applyServerErrors(form, err, FIELDS)),
      },
    );
  };

  return (
    <Modal
      title={`交接 ${contact.name} 联系的家庭`}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="交接"
      confirmLoading={handover.isPending}
      destroyOnHidden
    >
      <Descriptions
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'post', label: '岗位', children: POST_LABELS[contact.post] },
          { key: 'region', label: '所在区划', children: contact.regionName },
          { key: 'families', label: '现联系家庭', children: `${contact.familyCount} 户` },
        ]}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<HandoverValues> form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item
          name="successorContactId"
          label="接任联系人"
          extra="只能交给同一岗位、在用的联系人；其负责区域须包含这些家庭"
          rules={[{ required: true, message: '请选择接任联系人' }]}
        >
          <Select<string>
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder="输入姓名查找"
            options={options}
            loading={candidates.isFetching}
            notFoundContent={candidates.isFetching ? '查找中…' : '没有同岗位的在用联系人'}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label="交接原因"
          rules={[
            { required: true, whitespace: true, message: '请写明交接原因' },
            { min: 2, message: '请写明交接原因' },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 4 }}
            maxLength={LIMITS.shortText}
            placeholder="如：工作调动"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
