import { Alert, Card, Col, Row, Skeleton, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useMonthlyCompliance } from '../../api/compliance';
import { useCoverage } from '../../api/contacts';
import { useSupervisionSummary } from '../../api/supervision';
import { LinkButton } from '../../components/link-button';
import { formatRate } from './dashboard-format';

function Figure({ label, value, note, testId }: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div style={{ fontSize: 24, fontWeight: 600, lineHeight: 1.4 }}>{value}</div>
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
    </div>
  );
}

/** The home page's view of a supervisor's region: this month's home visits, 双岗 gaps, open events. */
export function SupervisorSummary({ regionName }: { regionName: string }) {
  const monthly = useMonthlyCompliance({});
  const coverage = useCoverage(undefined);
  const summary = useSupervisionSummary(undefined);
  const error = monthly.error ?? coverage.error ?? summary.error;

  const gaps = coverage.data ? coverage.data.missingTownshipPost + coverage.data.missingVillagePost : undefined;

  return (
    <Card
      title={`${regionName} · 本月走访`}
      extra={
        <LinkButton to="/dashboard" type="link" icon={<RightOutlined />} iconPlacement="end">
          走访督导
        </LinkButton>
      }
    >
      {error ? (
        <Alert type="error" showIcon title={errorMessage(error)} />
      ) : !monthly.data || !coverage.data || !summary.data ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Figure
              testId="home-visit-rate"
              label="本月登门走访率"
              value={formatRate(monthly.data.rate)}
              note={`${monthly.data.visited} / ${monthly.data.families} 户`}
            />
          </Col>
          <Col xs={12} md={6}>
            <Figure
              label="本月待走访"
              value={`${monthly.data.families - monthly.data.visited} 户`}
              note="尚未登门的家庭"
            />
          </Col>
          <Col xs={12} md={6}>
            <Figure
              label="双岗缺口"
              value={`${gaps} 处`}
              note={`缺乡镇岗 ${coverage.data.missingTownshipPost} · 缺村级岗 ${coverage.data.missingVillagePost}${
                coverage.data.specialDifficultyWithoutCountyLeader
                  ? ` · 特困缺县级领导 ${coverage.data.specialDifficultyWithoutCountyLeader}`
                  : ''
              }`}
            />
          </Col>
          <Col xs={12} md={6}>
            <Figure
              label="未处置重大情况"
              value={`${summary.data.events.open} 件`}
              note={summary.data.events.overdue ? `其中逾期 ${summary.data.events.overdue} 件` : '无逾期'}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
