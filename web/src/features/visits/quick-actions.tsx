import { lazy, Suspense, useState } from 'react';
import { Button, Flex, Typography } from 'antd';
import { AlertOutlined, FlagOutlined, GiftOutlined, SolutionOutlined } from '@ant-design/icons';
import type { Role } from '../../../../common/roles';
import {
  lastClosedFestival,
  openFestival,
  useFamilyFestivalCare,
  useFestivals,
  type FestivalDate,
} from '../../api/festivals';
import { Panel } from './panel';
import { formatDay, todayLocal } from './visit-dates';
import { CARE_MANNER_LABELS } from './visit-labels';
import type { OutboxEntry, OutboxKind } from '../../offline/outbox';
import { bodyText, fixingOf } from '../offline/correction';
import { CAN_CREATE_NEED, CAN_RECORD_FESTIVAL_CARE, CAN_REPORT_EVENT, CAN_REPORT_PETITION_RISK } from './visit-roles';

// The forms load only when opened, so the visit form itself stays small.
const EventDrawer = lazy(() => import('./event-drawer'));
const FestivalCareDrawer = lazy(() => import('./festival-care-drawer'));
const PetitionRiskDrawer = lazy(() => import('./petition-risk-drawer'));
const NeedDrawer = lazy(() => import('./need-drawer'));

type Action = 'event' | 'festival' | 'petition' | 'need';

/** The drawer that makes each kind of queued record (and corrects it when refused). */
const ACTION_OF: Partial<Record<OutboxKind, Action>> = {
  event: 'event',
  festival_care: 'festival',
  petition_risk: 'petition',
  need: 'need',
};

export function QuickActions({
  familyId,
  contactId,
  role,
  isExited,
  fixing: fixingProp,
}: {
  familyId: string;
  contactId: string | null;
  role: Role;
  isExited: boolean;
  /** A refused queued record of one of these kinds (from 待同步): its drawer opens with it, to be corrected. */
  fixing?: OutboxEntry;
}) {
  const [open, setOpen] = useState<Action | null>(fixingProp ? (ACTION_OF[fixingProp.kind] ?? null) : null);
  // Closed without saving: the buttons below make new records again.
  const [fixClosed, setFixClosed] = useState(false);
  const fixing = fixClosed ? undefined : fixingProp;
  const fixAction = fixing ? ACTION_OF[fixing.kind] : undefined;
  const today = todayLocal();
  const year = Number(today.slice(0, 4));
  const festivals = useFestivals(year);
  const lastYear = useFestivals(year - 1);
  const fixYear = fixing?.kind === 'festival_care' ? Number(fixing.body.year) : year;
  const fixYearFestivals = useFestivals(Number.isInteger(fixYear) ? fixYear : year);
  const mayCare = CAN_RECORD_FESTIVAL_CARE.includes(role) && !isExited;
  const openNow = openFestival(festivals.data, today);
  // Outside every window the festival just past is offered as late care, with the reason field.
  const festival =
    openNow ??
    (festivals.data && lastYear.data ? lastClosedFestival([...lastYear.data, ...festivals.data], today) : undefined);
  const isLate = !openNow && !!festival;
  const care = useFamilyFestivalCare(familyId, mayCare && !!festival);
  const done =
    festival &&
    care.data?.find((r) => r.festival === festival.festival && r.year === Number(festival.date.slice(0, 4)));
  const close = () => {
    setOpen(null);
    setFixClosed(true);
  };
  const props = { familyId, contactId, onClose: close };
  // The festival a refused care record was for (its year may be last year's).
  const fixFestival = fixing?.kind === 'festival_care' ? festivalOfBody(fixing.body, fixYearFestivals.data) : undefined;
  const drawers = (
    <Suspense fallback={null}>
      {open === 'event' && <EventDrawer {...props} fixing={fixingOf(fixing, 'event')} />}
      {open === 'festival' &&
        (fixFestival ? (
          <FestivalCareDrawer
            {...props}
            festival={fixFestival}
            isLate={today > fixFestival.windowTo}
            fixing={fixingOf(fixing, 'festival_care')}
          />
        ) : (
          // A care record being corrected waits for its festival's dates; only a new one takes today's.
          festival &&
          fixing?.kind !== 'festival_care' && <FestivalCareDrawer {...props} festival={festival} isLate={isLate} />
        ))}
      {open === 'petition' && <PetitionRiskDrawer {...props} fixing={fixingOf(fixing, 'petition_risk')} />}
      {open === 'need' && <NeedDrawer {...props} fixing={fixingOf(fixing, 'need')} />}
    </Suspense>
  );

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
      label: festival ? `${isLate ? '补记' : ''}${festival.label}慰问` : '节日慰问',
      icon: <GiftOutlined />,
      // Already cared for this festival: shown as done instead (below), not offered again.
      show: !!festival && mayCare && (care.isSuccess || care.isError) && !done,
    },
    { key: 'petition', label: '信访苗头', icon: <FlagOutlined />, show: CAN_REPORT_PETITION_RISK.includes(role) },
    { key: 'need', label: '登记诉求', icon: <SolutionOutlined />, show: CAN_CREATE_NEED.includes(role) },
  ];
  const shown = actions.filter((a) => a.show);
  // A record being corrected opens its drawer even where the page offers no new one (the server decides).
  if (shown.length === 0 || isExited) return fixAction ? drawers : null;

  return (
    <Panel title="其他情况" style={{ marginTop: 12 }}>
      {festival && mayCare && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }} data-testid="festival-care-state">
          {festival.label}慰问期：{formatDay(festival.windowFrom)} 至 {formatDay(festival.windowTo)}
          {done ? (
            <Typography.Text type="success">
              {' '}
              · 已慰问（{formatDay(done.caredOn)}，{CARE_MANNER_LABELS[done.manner]}）
            </Typography.Text>
          ) : (
            isLate && '（已过，补记请说明原因）'
          )}
        </Typography.Paragraph>
      )}
      <Flex wrap gap={8}>
        {shown.map((a) => (
          <Button key={a.key} icon={a.icon} danger={a.danger} onClick={() => setOpen(a.key)}>
            {a.label}
          </Button>
        ))}
      </Flex>
      {drawers}
    </Panel>
  );
}

/** The festival (with its window) a queued care record names, from this year's or last year's dates. */
function festivalOfBody(body: Record<string, unknown>, dates: readonly FestivalDate[] | undefined) {
  const name = bodyText(body, 'festival');
  return dates?.find((f) => f.festival === name && f.date.startsWith(`${String(body.year)}-`));
}
