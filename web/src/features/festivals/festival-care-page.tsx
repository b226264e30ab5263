import { Alert, Card, Col, Flex, Row, Select, Skeleton, Statistic, Typography } from 'antd';
import { REGION_LEVELS, REGION_LEVEL_LABELS, type RegionLevel } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import { useFestivalCoverage, useFestivals, type CareStatus, type FestivalDate } from '../../api/festivals';
import { useRegionPath } from '../../api/regions';
import { useCurrentUser } from '../../app/auth-context';
import { RegionBreadcrumb } from '../../components/region-breadcrumb';
import { readPage, useUrlFilters } from '../../components/url-state';
import { usePageTitle } from '../../components/use-page-title';
import { regionLevelOf } from '../contacts/contact-labels';
import { formatRate } from '../dashboard/dashboard-format';
import { todayLocal } from '../visits/visit-dates';
import { CareByRegion, notYet } from './care-by-region';
import { CARE_STATUS_LABELS, CareFamilies } from './care-families';
import { FestivalPicker } from './festival-picker';
import { defaultFestival, defaultYear } from './festival-window';

// Care is recorded from 2016, the year of the notice; the next year is there to prepare its 春节.
const FIRST_YEAR = 2016;

function childLevelOf(level: RegionLevel): RegionLevel | undefined {
  return REGION_LEVELS[REGION_LEVELS.indexOf(level) + 1];
}

function isCareStatus(value: string | null): value is CareStatus {
  return value !== null && value in CARE_STATUS_LABELS;
}

function Figure({ label, value, note, testId }: { label: string; value: string; note: string; testId: string }) {
  return (
    <Card size="small" style={{ height: '100%' }} data-testid={testId}>
      <Statistic title={label} value={value} />
      <Typography.Text type="secondary">{note}</Typography.Text>
    </Card>
  );
}

/** The coverage of one festival in the region: figures, child regions, and the families by care status. */
function Coverage({
  festival,
  regionCode,
  today,
  onDrill,
}: {
  festival: FestivalDate;
  regionCode: string;
  today: string;
  onDrill: (code: string) => void;
}) {
  const user = useCurrentUser();
  const { params, setFilters, setPage } = useUrlFilters();
  const year = Number(festival.date.slice(0, 4));
  const coverage = useFestivalCoverage({ year, festival: festival.festival, regionCode });
  const path = useRegionPath(regionCode, user.regionCode);
  const statusParam = params.get('status');
  const status: CareStatus = isCareStatus(statusParam) ? statusParam : 'not_cared';
  const { page, pageSize } = readPage(params);
  const childLevel = childLevelOf(regionLevelOf(regionCode));

  const data = coverage.data;
  const regionName = path.data?.at(-1)?.name;
  return (
    <>
      <RegionBreadcrumb path={path.data ?? []} onSelect={onDrill} currentTestId="care-region" />
      {path.isError && <Alert type="error" showIcon title={errorMessage(path.error)} />}
      {coverage.isError ? (
        <Alert type="error" showIcon title={errorMessage(coverage.error)} />
      ) : !data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} lg={6}>
              <Figure testId="care-cared" label="已慰问" value={`${data.cared} 户`} note="按家庭接受的方式" />
            </Col>
            <Col xs={12} lg={6}>
              <Figure testId="care-declined" label="家庭婉拒" value={`${data.declined} 户`} note="如实记录，计入完成" />
            </Col>
            <Col xs={12} lg={6}>
              <Figure testId="care-not-yet" label="尚未慰问" value={`${notYet(data)} 户`} note="见下方名单" />
            </Col>
            <Col xs={12} lg={6}>
              <Figure
                testId="care-rate"
                label="完成率"
                value={formatRate(data.rate)}
                note={`${data.cared + data.declined} / ${data.families} 户在册家庭`}
              />
            </Col>
          </Row>
          {childLevel && data.children.length > 0 && (
            <CareByRegion coverage={data} childLevelLabel={REGION_LEVEL_LABELS[childLevel]} onDrill={onDrill} />
          )}
          <CareFamilies
            festival={festival}
            regionCode={regionCode}
            regionName={regionName}
            counts={{ not_cared: notYet(data), cared: data.cared, declined: data.declined }}
            status={status}
            page={page}
            pageSize={pageSize}
            role={user.role}
            today={today}
            onStatus={(s) => setFilters({ status: s === 'not_cared' ? undefined : s })}
            onPage={setPage}
          />
        </>
      )}
    </>
  );
}

/**
 * 节日慰问 (R6): the three festivals of a year from the lunar calendar with their care windows, the
 * coverage of the chosen one by region (drilled down and kept in the address bar: ?year=&festival=&region=),
 * and the families not yet cared for, which township and village staff can record care for.
 */
export default function FestivalCarePage() {
  usePageTitle('节日慰问');
  const user = useCurrentUser();
  const { params, setFilters } = useUrlFilters();
  const today = todayLocal();
  const thisYear = Number(today.slice(0, 4));
  const current = useFestivals(thisYear);
  const yearParam = Number.parseInt(params.get('year') ?? '', 10);
  const hasYear = Number.isInteger(yearParam) && yearParam >= FIRST_YEAR && yearParam <= thisYear + 1;
  const fallbackYear = current.data ? defaultYear(current.data, today) : undefined;
  const year = hasYear ? yearParam : fallbackYear;
  const festivals = useFestivals(year ?? thisYear);
  const festivalParam = params.get('festival');
  // Until the default year is known, `festivals` holds this year's dates, which may not be the year shown.
  const festivalsOfYear = year !== undefined ? festivals.data : undefined;
  const festival = festivalsOfYear
    ? (festivalsOfYear.find((f) => f.festival === festivalParam) ?? defaultFestival(festivalsOfYear, today))
    : undefined;

  const regionParam = params.get('region');
  const regionCode = regionParam && /^\d{12}$/.test(regionParam) ? regionParam : user.regionCode;
  // A new region, year or festival starts the list on its first page (setFilters drops `page`).
  const drill = (code: string) => setFilters({ region: code === user.regionCode ? undefined : code });
  const years = Array.from({ length: thisYear + 2 - FIRST_YEAR }, (_, i) => thisYear + 1 - i).map((y) => ({
    value: y,
    label: `${y}年`,
  }));
  const error = current.error ?? festivals.error;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          节日慰问
        </Typography.Title>
        <Flex align="center" gap={8}>
          <Typography.Text>年份</Typography.Text>
          <Select
            aria-label="年份"
            data-testid="year-select"
            value={year}
            options={years}
            loading={year === undefined}
            onChange={(y) => setFilters({ year: String(y), festival: undefined })}
            style={{ width: 120 }}
          />
        </Flex>
      </Flex>
      {error ? (
        <Alert type="error" showIcon title={errorMessage(error)} />
      ) : !festivalsOfYear || !festival ? (
        <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <>
          <FestivalPicker
            festivals={festivalsOfYear}
            value={festival.festival}
            today={today}
            onChange={(f) => setFilters({ year: String(year), festival: f })}
          />
          <Coverage festival={festival} regionCode={regionCode} today={today} onDrill={drill} />
        </>
      )}
    </Flex>
  );
}
