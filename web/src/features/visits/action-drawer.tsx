import type { ReactNode } from 'react';
import { Alert, Button, Drawer, Grid } from 'antd';
import type { OutboxEntry } from '../../offline/outbox';

/** The frame of the quick actions below the visit form: a sheet from the bottom on a phone, a side panel on a desk. */
export function ActionDrawer({
  title,
  onClose,
  onSubmit,
  submitText,
  loading,
  error,
  children,
}: {
  title: string;
  onClose: () => void;
  onSubmit: () => void;
  submitText: string;
  loading: boolean;
  error: string | null;
  children: ReactNode;
}) {
  const screens = Grid.useBreakpoint();
  const isPhone = !screens.md;
  return (
    <Drawer
      open
      title={title}
      placement={isPhone ? 'bottom' : 'right'}
      size={isPhone ? '88%' : 460}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Button type="primary" size="large" block loading={loading} onClick={onSubmit}>
          {submitText}
        </Button>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {children}
    </Drawer>
  );
}

export interface ActionDrawerProps {
  familyId: string;
  /** The contact the user logs as, when there is one. */
  contactId: string | null;
  onClose: () => void;
  /** A refused queued record of this drawer's kind, opened from 待同步 to be corrected (prefilled from its body). */
  fixing?: OutboxEntry;
}
