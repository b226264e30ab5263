import { lazy, Suspense } from 'react';
import type { ChartOption, EChartProps } from './echart-canvas';

export type { ChartOption };

// ECharts (about 150 kB brotli) downloads only when a chart is drawn, and never delays the page's
// figures and tables: they are on screen while the chart loads in its place.
const EChartCanvas = lazy(() => import('./echart-canvas'));

/**
 * One chart, loaded lazily. `label` names it for screen readers; the table beside every chart carries
 * the same figures.
 */
export function EChart(props: EChartProps) {
  const placeholder = (
    <div
      role="img"
      aria-label={props.label}
      aria-busy="true"
      data-testid={props.testId}
      style={{ width: '100%', height: props.height }}
    />
  );
  return (
    <Suspense fallback={placeholder}>
      <EChartCanvas {...props} />
    </Suspense>
  );
}
