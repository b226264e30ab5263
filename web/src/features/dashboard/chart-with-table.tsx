import type { ReactNode } from 'react';
import { Card, Col, Row } from 'antd';

/** Every chart has its table beside it (below it below 1600 px): colour and shape are never the only carrier. */
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
        {/* Side by side only from 1600 px: at 1366 px half a card cannot hold a table's columns (issue 11 item 6). */}
        <Col xs={24} xxl={chartSpan}>
          {chart}
        </Col>
        <Col xs={24} xxl={24 - chartSpan}>
          {table}
        </Col>
      </Row>
    </Card>
  );
}
