import type { ReactNode } from 'react';
import { Card, Col, Row } from 'antd';

/** Every chart has its table beside it (below it on a narrow screen): colour and shape are never the only carrier. */
export function ChartWithTable({
  title,
  extra,
  chart,
  table,
  chartSpan = 14,
  testId,
}: {
  title: ReactNode;
  extra?: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  chartSpan?: number;
  testId?: string;
}) {
  return (
    <Card title={title} extra={extra} data-testid={testId}>
      <Row gutter={[24, 16]}>
        <Col xs={24} lg={chartSpan}>
          {chart}
        </Col>
        <Col xs={24} lg={24 - chartSpan}>
          {table}
        </Col>
      </Row>
    </Card>
  );
}
