import type { KeyboardEvent } from 'react';
import { Card, Col, Row, Tag, Typography } from 'antd';
import type { Festival, FestivalDate } from '../../api/festivals';
import { formatDay } from '../visits/visit-dates';
import { LUNAR_DATE_LABELS, windowState } from './festival-window';

function WindowTag({ festival, today }: { festival: FestivalDate; today: string }) {
  const state = windowState(festival, today);
  if (state.kind === 'open') return <Tag color="green">慰问期中，还剩 {state.daysLeft} 天</Tag>;
  if (state.kind === 'upcoming') return <Tag color="blue">{state.daysToStart} 天后开始</Tag>;
  return <Tag>慰问期已结束</Tag>;
}

/** The year's three festivals as cards with their dates and care windows; the chosen one is outlined, an open window is green. */
export function FestivalPicker({
  festivals,
  value,
  today,
  onChange,
}: {
  festivals: readonly FestivalDate[];
  value: Festival;
  today: string;
  onChange: (festival: Festival) => void;
}) {
  const onKey = (event: KeyboardEvent, festival: Festival) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onChange(festival);
  };
  return (
    <Row gutter={[12, 12]} role="radiogroup" aria-label="节日">
      {festivals.map((f) => {
        const isChosen = f.festival === value;
        const isOpen = windowState(f, today).kind === 'open';
        return (
          <Col key={f.festival} xs={24} sm={8}>
            <Card
              size="small"
              hoverable
              role="radio"
              aria-checked={isChosen}
              tabIndex={0}
              data-testid={`festival-${f.festival}`}
              onClick={() => onChange(f.festival)}
              onKeyDown={(e) => onKey(e, f.festival)}
              style={{
                height: '100%',
                cursor: 'pointer',
                borderColor: isChosen ? '#1d5fa8' : isOpen ? '#389e0d' : undefined,
                borderWidth: isChosen ? 2 : 1,
                background: isOpen ? '#f6ffed' : undefined,
              }}
            >
              <Typography.Text strong style={{ fontSize: 16, marginInlineEnd: 8 }}>
                {f.label}
              </Typography.Text>
              <WindowTag festival={f} today={today} />
              <div data-testid="festival-date">
                {formatDay(f.date)}（农历{LUNAR_DATE_LABELS[f.festival]}）
              </div>
              <Typography.Text type="secondary">
                慰问期 {formatDay(f.windowFrom)} 至 {formatDay(f.windowTo)}
              </Typography.Text>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
