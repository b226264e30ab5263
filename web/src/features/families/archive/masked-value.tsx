import { lazy, Suspense, useState } from 'react';
import { Button } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import type { RevealField } from '../../../api/families';

// Loaded on the first 查看: most visits to an archive never reveal anything.
const RevealModal = lazy(() => import('./reveal-modal'));

/** A masked ID number or phone, with 查看 for roles that may reveal it. */
export function MaskedValue({
  familyId,
  field,
  label,
  masked,
  canReveal,
}: {
  familyId: string;
  field: RevealField;
  label: string;
  masked: string | null;
  canReveal: boolean;
}) {
  const [open, setOpen] = useState(false);
  if (!masked) return <>—</>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <span style={{ fontFamily: 'monospace' }}>{masked}</span>
      {canReveal && (
        <Button
          type="link"
          size="small"
          icon={<EyeOutlined />}
          onClick={() => setOpen(true)}
          aria-label={`查看${label}`}
        >
          查看
        </Button>
      )}
      {open && (
        <Suspense fallback={null}>
          <RevealModal familyId={familyId} field={field} label={label} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </span>
  );
}
