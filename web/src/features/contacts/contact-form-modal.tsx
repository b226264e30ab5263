import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Select } from 'antd';
import { LIMITS } from '../../../../common/limits';
import { parsePhone, PHONE_FORMAT_MESSAGE } from '../../../../common/validators/phone';
import { useCreateContact, useUpdateContact, type Contact } from '../../api/contacts';
import { useCurrentUser } from '../../app/auth-context';
import { applyServerErrors } from '../../components/form-errors';
import { RegionPicker } from '../../components/region-picker';
import { POST_OPTIONS, POST_REGION_LEVEL, regionLevelOf, type Post } from './contact-labels';

const FIELDS = ['name', 'phone', 'post', 'regionCode', 'organization', 'title'] as const;

const LEVEL_TEXT = { county: '县（市、区）', township: '乡镇（街道）', village: '村（居）' } as const;

interface ContactValues {
  name: string;
  phone: string;
  post?: Post;
  regionCode?: string;
  organization?: string;
  title?: string;
}

/** New contact, or the editable fields of one (post and region stay: a transferred cadre is handed over). */
export function ContactFormModal({ contact, onClose }: { contact?: Contact; onClose: () => void }) {
  const user = useCurrentUser();
  const [form] = Form.useForm<ContactValues>();
  const create = useCreateContact();
  const update = useUpdateContact();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  const post = Form.useWatch('post', form);
  const level = post ? POST_REGION_LEVEL[post] : undefined;
  const isEdit = contact !== undefined;

  const onFinish = (values: ContactValues) => {
    setError(null);
    const phone = parsePhone(values.phone);
    const common = {
      name: values.name.trim(),
      phone: phone.ok ? phone.value : values.phone,
      organization: values.organization?.trim() || null,
      title: values.title?.trim() || null,
    };
    const onError = (err: unknown) => setError(applyServerErrors(form, err, FIELDS));
    if (isEdit) {
      // A masked phone that was not retyped stays as it is.
      const { phone: newPhone, ...rest } = common;
      update.mutate(
        {
          id: contact.id,
          version: contact.version,
          ...rest,
          ...(values.phone !== contact.phone ? { phone: newPhone } : {}),
        },
        {
          onSuccess: (saved) => {
            message.success(`已保存 ${saved.name}`);
            onClose();
          },
          onError,
        },
      );
    } else {
      create.mutate(
        { ...common, post: values.post!, regionCode: values.regionCode! },
        {
          onSuccess: (saved) => {
            message.success(`已新增联系人 ${saved.name}`);
            onClose();
          },
          onError,
        },
      );
    }
  };

  return (
    <Modal
      title={isEdit ? `编辑联系人 ${contact.name}` : '新增联系人'}
      open
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={isEdit ? '保存' : '新增'}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<ContactValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        autoComplete="off"
        initialValues={
          contact
            ? {
                name: contact.name,
                phone: contact.phone,
                post: contact.post,
                regionCode: contact.regionCode,
                organization: contact.organization ?? undefined,
                title: contact.title ?? undefined,
              }
            : undefined
        }
        onValuesChange={(changed: Partial<ContactValues>) => {
          // A region of the wrong level for the new post is cleared; the user's own region is offered when it fits.
          if (changed.post && !isEdit) {
            const wanted = POST_REGION_LEVEL[changed.post];
            const current = form.getFieldValue('regionCode') as string | undefined;
            if (current && regionLevelOf(current) !== wanted) form.setFieldValue('regionCode', undefined);
            if (!form.getFieldValue('regionCode') && regionLevelOf(user.regionCode) === wanted)
              form.setFieldValue('regionCode', user.regionCode);
          }
        }}
      >
        <Form.Item
          name="name"
          label="姓名"
          rules={[
            { required: true, whitespace: true, message: '请填写姓名' },
            { max: LIMITS.name, message: `姓名最多 ${LIMITS.name} 个字` },
          ]}
        >
          <Input maxLength={LIMITS.name} />
        </Form.Item>
        <Form.Item
          name="phone"
          label="联系电话"
          extra={isEdit ? '号码已隐藏中间几位；改号时请输入完整号码' : '手机号，或带区号的座机，如 027-12345678'}
          rules={[
            { required: true, whitespace: true, message: '请填写联系电话' },
            {
              validator: (_, value: string | undefined) =>
                !value || (isEdit && value === contact.phone) || parsePhone(value).ok
                  ? Promise.resolve()
                  : Promise.reject(new Error(PHONE_FORMAT_MESSAGE)),
            },
          ]}
        >
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="post" label="岗位" rules={[{ required: true, message: '请选择岗位' }]}>
          <Select<Post> options={POST_OPTIONS} disabled={isEdit} />
        </Form.Item>
        {isEdit ? (
          <Form.Item label="所在区划" extra="调动到其他地方的联系人，请用“交接”把家庭交给接任者，再新增联系人">
            <Input value={contact.regionName} disabled />
          </Form.Item>
        ) : (
          <Form.Item
            name="regionCode"
            label="所在区划"
            extra={level ? `该岗位登记在${LEVEL_TEXT[level]}一级` : '请先选择岗位'}
            rules={[{ required: true, message: '请选择所在区划' }]}
          >
            <RegionPicker rootCode={user.regionCode} selectableLevels={level ? [level] : []} />
          </Form.Item>
        )}
        <Form.Item name="organization" label="工作单位">
          <Input maxLength={LIMITS.shortText} placeholder="如：某某镇人民政府" />
        </Form.Item>
        <Form.Item name="title" label="职务">
          <Input maxLength={LIMITS.name} placeholder="如：包村干部" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
