import { Alert, Checkbox, Flex, Input, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { POST_LABELS } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useContacts } from '../../api/contacts';

/**
 * Attendance from the contact registry: the active contacts of the organiser's region as a tick list,
 * large enough to tick on a phone during the session; a name filter for long lists.
 */
export function AttendancePicker({
  regionCode,
  value = [],
  onChange,
}: {
  regionCode: string | undefined;
  value?: string[];
  onChange?: (ids: string[]) => void;
}) {
  const [q, setQ] = useState('');
  const contacts = useContacts({ regionCode, isActive: true, page: 1, pageSize: 200 }, !!regionCode);
  if (!regionCode) return <Typography.Text type="secondary">请先选择组织单位</Typography.Text>;
  if (contacts.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (contacts.isError) return <Alert type="error" showIcon title={errorMessage(contacts.error)} />;
  const all = contacts.data.data;
  const shown = q ? all.filter((c) => c.name.includes(q)) : all;
  return (
    <Flex vertical gap={8}>
      <Flex gap={8} align="center" wrap>
        <Input.Search
          placeholder="按姓名筛选"
          allowClear
          onChange={(e) => setQ(e.target.value)}
          style={{ maxWidth: 220 }}
        />
        <Typography.Text type="secondary">
          已选 {value.length} / {all.length} 人
        </Typography.Text>
        <Checkbox
          checked={all.length > 0 && value.length === all.length}
          indeterminate={value.length > 0 && value.length < all.length}
          onChange={(e) => onChange?.(e.target.checked ? all.map((c) => c.id) : [])}
        >
          全选
        </Checkbox>
      </Flex>
      <Checkbox.Group value={value} onChange={(ids) => onChange?.(ids as string[])} style={{ width: '100%' }}>
        <Flex
          vertical
          gap={4}
          style={{ maxHeight: 320, overflowY: 'auto', width: '100%' }}
          data-testid="attendance-list"
        >
          {shown.map((c) => (
            <Checkbox key={c.id} value={c.id} style={{ padding: '6px 0' }}>
              {c.name}
              <Typography.Text type="secondary">
                {' '}
                · {POST_LABELS[c.post]} · {c.regionName}
              </Typography.Text>
            </Checkbox>
          ))}
          {shown.length === 0 && <Typography.Text type="secondary">没有符合条件的联系人</Typography.Text>}
        </Flex>
      </Checkbox.Group>
      {contacts.data.page.total > all.length && (
        <Typography.Text type="warning">联系人超过 {all.length} 人，请用签到表导入其余人员</Typography.Text>
      )}
    </Flex>
  );
}
