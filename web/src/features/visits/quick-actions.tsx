import { lazy, Suspense, useState } from 'react';
import { Button, Flex, Typography } from 'antd';
import { AlertOutlined, FlagOutlined, GiftOutlined, SolutionOutlined } from '@ant-design/icons';
import type { Role } from '../../../../common/roles';
import { openFestival, useFestivals } from '../../api/festivals';
import { Panel } from './panel';
import { formatDay, todayLocal } from './visit-dates';
import { CAN_CREATE_NEED, CAN_RECORD_FESTIVAL_CARE, CAN_REPORT_EVENT, CAN_REPORT_PETITION_RISK } from './visit-roles';

// The forms load only when opened, so the visit form itself stays small.
const EventDrawer = lazy(() => import('./event-drawer'));
const FestivalCareDrawer = lazy(() => import('./festival-care-drawer'));
const PetitionRiskDrawer = lazy(() => import('./petition-risk-drawer'));
const NeedDrawer = lazy(() => import('./need-drawer'));

type Action = 'event' | 'festival' | 'petition' | 'need';

export function QuickActions({
  familyId,
  contactId,
  role,
  isExited,
}: {
  familyId: string;
  contactId: string | null;
  role: Role;
  isExited: boolean;
}) {
  const [open, setOpen] = useState<Action | null>(null);
  const today = todayLocal();
  const festivals = useFestivals(Number(today.slice(0, 4)));
  const festival = openFestival(festivals.data, today);
  const close = () => setOpen(null);
  const props = { familyId, contactId, onClose: close };

  const actions: Array<{ key: Action; label: string; icon: React.ReactNode; show: boolean; danger?: boolean }> = [
    {
      key: 'event',
      label: '报告重大情况',
      icon: <AlertOutlined />,
      show: CAN_REPORT_EVENT.includes(role),
      danger: true,
    },
    {
      key: 'festival',
      label: festival ? `${festival.label}慰问` : '节日慰问',
      icon: <GiftOutlined />,
      show: !!festival && CAN_RECORD_FESTIVAL_CARE.includes(role),
    },
    { key: 'petition', label: '信访苗头', icon: <FlagOutlined />, show: CAN_REPORT_PETITION_RISK.includes(role) },
    { key: 'need', label: '登记诉求', icon: <SolutionOutlined />, show: CAN_CREATE_NEED.includes(role) },
  ];
  const shown = actions.filter((a) => a.show);
  if (shown.length === 0 || isExited) return null;

  return (
    <Panel title="其他情况" style={{ marginTop: 12 }}>
      {festival && CAN_RECORD_FESTIVAL_CARE.includes(role) && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {festival.label}慰问期：{formatDay(festival.windowFrom)} 至 {formatDay(festival.windowTo)}
        </Typography.Paragraph>
      )}
      <Flex wrap gap={8}>
        {shown.map((a) => (
          <Button key={a.key} icon={a.icon} danger={a.danger} onClick={() => setOpen(a.key)}>
            {a.label}
          </Button>
        ))}
      </Flex>
      <Suspense fallback={null}>
        {open === 'event' && <EventDrawer {...props} />}
        {open === 'festival' && festival && <FestivalCareDrawer {...props} festival={festival} />}
        {open === 'petition' && <PetitionRiskDrawer {...props} />}
        {open === 'need' && <NeedDrawer {...props} />}
      </Suspense>
    </Panel>
  );
}
