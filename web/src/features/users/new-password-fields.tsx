import { Form, Input } from 'antd';
import { PASSWORD_HINT, passwordPolicyRule } from './password-rules';

/** 新密码 and its confirmation, as both the self-service change and the admin reset ask for them. */
/** `username`: the account's, so a password containing it is refused as typed. */
export function NewPasswordFields({ name, username }: { name: string; username?: string }) {
  return (
    <>
      <Form.Item
        name={name}
        label="新密码"
        extra={PASSWORD_HINT}
        rules={[{ required: true, message: '请输入新密码' }, passwordPolicyRule(() => username)]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="再次输入新密码"
        dependencies={[name]}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: async (_, value: string | undefined) => {
              if (value && value !== getFieldValue(name)) throw new Error('两次输入的密码不一致');
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
    </>
  );
}
