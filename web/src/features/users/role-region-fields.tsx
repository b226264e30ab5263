import { Form, Select, type FormInstance } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { ROLE_REGION_LEVELS, type Role } from '../../../../common/roles';
import { cachedRegion } from '../../api/regions';
import { useCurrentUser } from '../../app/auth-context';
import { RegionPicker } from '../../components/region-picker';
import { regionLevelHint, ROLE_OPTIONS } from './user-labels';

/** Role and region chosen together: the role decides which region levels can be chosen (ROLE_REGION_LEVELS). */
export function RoleRegionFields({ form }: { form: FormInstance }) {
  const queryClient = useQueryClient();
  const admin = useCurrentUser();
  const role = Form.useWatch<Role | undefined>('role', form);

  return (
    <>
      <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
        <Select<Role> options={ROLE_OPTIONS} placeholder="请选择角色" />
      </Form.Item>
      <Form.Item
        name="regionCode"
        label="所属区划"
        dependencies={['role']}
        extra={role ? regionLevelHint(role) : undefined}
        rules={[
          { required: true, message: '请选择所属区划' },
          {
            validator: async (_, code: string | undefined) => {
              const chosenRole = form.getFieldValue('role') as Role | undefined;
              if (!code || !chosenRole) return;
              const region = cachedRegion(queryClient, code);
              if (region && !ROLE_REGION_LEVELS[chosenRole].includes(region.level)) {
                throw new Error(regionLevelHint(chosenRole));
              }
            },
          },
        ]}
      >
        <RegionPicker
          rootCode={admin.regionCode}
          selectableLevels={role ? ROLE_REGION_LEVELS[role] : undefined}
          placeholder={role ? '请选择区划' : '请先选择角色'}
        />
      </Form.Item>
    </>
  );
}
