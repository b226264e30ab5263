import { useEffect, useMemo, useState } from 'react';
import { Alert, Card, Col, Flex, Row, Select, Skeleton, Typography } from 'antd';
import dayjs from 'dayjs';
import { REGION_LEVELS, REGION_LEVEL_LABELS, type RegionLevel } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import { useMonthlyCompliance } from '../../api/compliance';
import { useRegionPath } from '../../api/regions';
import { useCurrentUser } from '../../app/auth-context';
import { RegionBreadcrumb } from '../../components/region-breadcrumb';
import { useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { regionLevelOf } from '../contacts/contact-labels';
import { ContactTable } from './contact-table';
import { CoverageCard, isGapKind } from './coverage-card';
import { ThreeCoveragesCard } from '../people/three-coverages-card';
import { formatMonth, formatRate } from './dashboard-format';
import { OverdueTable } from './overdue-table';
import { RegionRates } from './region-rates';
import { SupervisionCards } from './supervision-cards';
import { TrendCard } from './trend-card';

const MONTHS_BACK = 24;
const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthOptions(): Array<{ value: string; label: string }> {
  const now = dayjs();
  return Array.from({ length: MONTHS_BACK }, (_, i) => {
    const value = now.subtract(i, 'month').format('YYYY-MM');
    return { value, label: formatMonth(value) };
  });
}

function readPositive(value: string | null): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function childLevelOf(level: RegionLevel): RegionLevel | undefined {
  return REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1];
}

function Kpi({ label, value, note, testId }: { label: string; value: string; note: string; testId?: string }) {
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={testId}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div style={{ fontSize: 26, fontWeight: 600, lineHeight: 1.4 }}>{value}</div>
      <Typography.Text type="secondary">{note}</Typography.Text>
    </Card>
  );
}

/**
 * True from the first paint after `ready` on: the figures and the region table paint first, the cards below
 * them (the trend, the lists, coverage, supervision — each with its own queries and tables) mount right after,
 * so a slow phone or a busy CPU shows the region's rates without waiting for every table to render (issue 11).
 */
function useAfterFirstPaint(ready: boolean): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    if (!ready || after) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setAfter(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, after]);
  return after;
}

/**
 * 走访督导: this month's home visits of a region and each child region (R4), drilled down by click and
 * kept in the address bar (?region=&month=), with the trend, the contacts, the overdue families, 双岗
 * coverage (R1, R2) and the supervision summary (R5–R7, R11).
 */
export default function DashboardPage() {
  usePageTitle('走访督导');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const regionParam = params.get('region');
  const regionCode = regionParam && /^\d{12}$/.test(regionParam) ? regionParam : user.regionCode;
  const monthParam = params.get('month');
  const currentMonth = dayjs().format('YYYY-MM');
  const month = monthParam && MONTH_PATTERN.test(monthParam) && monthParam <= currentMonth ? monthParam : currentMonth;
  const gapParam = params.get('gap');
  const gapKind = isGapKind(gapParam) ? gapParam : 'missing_township';

  const monthly = useMonthlyCompliance({ regionCode, month });
  const path = useRegionPath(regionCode, user.regionCode);
  const months = useMemo(monthOptions, []);
  const level = regionLevelOf(regionCode);
  const childLevel = childLevelOf(level);
  const childLabel = childLevel ? REGION_LEVEL_LABELS[childLevel] : undefined;

  // A new region or month starts every list on its first page.
  const resetPages = { cpage: undefined, opage: undefined, gpage: undefined };
  const drill = (code: string) => setFilters({ region: code === user.regionCode ? undefined : code, ...resetPages });
  const setMonth = (value: string) => setFilters({ month: value === currentMonth ? undefined : value, ...resetPages });

  const data = monthly.data;
  const below = useAfterFirstPaint(!!data);
  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 8 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          走访督导
        </Typography.Title>
        <Flex align="center" gap={8}>
          <Typography.Text>月份</Typography.Text>
          <Select aria-label="月份" value={month} options={months} onChange={setMonth} style={{ width: 140 }} />
        </Flex>
      </Flex>
      <RegionBreadcrumb
        path={path.data ?? []}
        onSelect={drill}
        currentTestId="dashboard-region"
        style={{ marginBottom: 16 }}
      />
      {path.isError && <Alert type="error" showIcon title={errorMessage(path.error)} style={{ marginBottom: 16 }} />}

      {monthly.isError ? (
        <Alert type="error" showIcon title={errorMessage(monthly.error)} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16}>
          <Row gutter={[16, 16]}>
            <Col xs={12} lg={6}>
              <Kpi
                testId="kpi-rate"
                label={`${formatMonth(data.month)}登门走访率`}
                value={formatRate(data.rate)}
                note={`${data.visited} / ${data.families} 户`}
              />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi label="待走访家庭" value={`${data.families - data.visited} 户`} note="本月尚未登门" />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi label="在册家庭" value={`${data.families} 户`} note={`${data.name}`} />
            </Col>
            <Col xs={12} lg={6}>
              <Kpi
                label="下级区划"
                value={childLabel ? `${data.children.length} 个` : '—'}
                note={childLabel ? `${childLabel}` : '已是村（居）一级'}
              />
            </Col>
          </Row>

          {childLabel && data.children.length > 0 && (
            <RegionRates monthly={data} childLevelLabel={childLabel} onDrill={drill} />
          )}
          {below && (
            <>
              <TrendCard regionCode={regionCode} month={month} />
              <OverdueTable
                regionCode={regionCode}
                month={month}
                page={readPositive(params.get('opage'))}
                onPage={(p) => setFilters({ opage: p > 1 ? String(p) : undefined })}
              />
              <ContactTable
                regionCode={regionCode}
                month={month}
                page={readPositive(params.get('cpage'))}
                onPage={(p) => setFilters({ cpage: p > 1 ? String(p) : undefined })}
              />
              <CoverageCard
                regionCode={regionCode}
                childLevelLabel={childLabel}
                gapKind={gapKind}
                gapPage={readPositive(params.get('gpage'))}
                onGap={(kind, p) =>
                  setFilters({
                    gap: kind === 'missing_township' ? undefined : kind,
                    gpage: p > 1 ? String(p) : undefined,
                  })
                }
                onDrill={drill}
              />
              <ThreeCoveragesCard regionCode={regionCode} />
              <div>
                <Typography.Title level={4}>督导概览</Typography.Title>
                <SupervisionCards regionCode={regionCode} />
              </div>
            </>
          )}
        </Flex>
      )}
    </>
  );
}
