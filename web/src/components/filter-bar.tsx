import { useEffect, useState, type ReactNode } from 'react';
import { Button, Checkbox, Col, Input, Row, Select, type ColProps } from 'antd';
import type { RegionLevel } from '../../../common/roles';
import { RegionPicker } from './region-picker';

/** How much of the row a field takes: a region or a search box, or one select. */
export type FilterSize = 'wide' | 'narrow';

const SIZES: Record<FilterSize, ColProps> = {
  wide: { xs: 24, sm: 12, lg: 8 },
  narrow: { xs: 12, sm: 6, lg: 4 },
};

interface Layout {
  /** Identifies the field among its neighbours. */
  key: string;
  /** `size` picks a standard width; `col` overrides it with the page's own spans. */
  size?: FilterSize;
  col?: ColProps;
}

export type FilterField = Layout &
  (
    | {
        type: 'region';
        rootCode: string;
        value: string | undefined;
        onChange: (code: string | undefined) => void;
        placeholder?: string;
        selectableLevels?: readonly RegionLevel[];
      }
    | {
        type: 'select';
        /** The select's accessible name. */
        label: string;
        placeholder?: string;
        options: ReadonlyArray<{ value: string; label: ReactNode }>;
        value: string | undefined;
        onChange: (value: string | undefined) => void;
        /** Default true: clearing means "all". */
        allowClear?: boolean;
        /** Type to filter the options by their label. */
        searchable?: boolean;
      }
    | {
        type: 'search';
        label: string;
        placeholder?: string;
        /** The search in force (from the address bar); the box edits a draft of it until 搜索 or Enter. */
        value: string;
        onSearch: (text: string) => void;
        enterButton?: ReactNode;
        maxLength?: number;
        autoComplete?: string;
      }
    | { type: 'checkbox'; label: string; checked: boolean; onChange: (checked: boolean) => void }
    | { type: 'custom'; node: ReactNode }
  );

function SearchBox({ field }: { field: Extract<FilterField, { type: 'search' }> }) {
  const [text, setText] = useState(field.value);
  useEffect(() => setText(field.value), [field.value]);
  return (
    <Input.Search
      aria-label={field.label}
      placeholder={field.placeholder}
      allowClear
      enterButton={field.enterButton}
      maxLength={field.maxLength}
      autoComplete={field.autoComplete}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onSearch={field.onSearch}
    />
  );
}

function cols(field: FilterField): ReactNode {
  const col =
    field.col ?? SIZES[field.size ?? (field.type === 'region' || field.type === 'search' ? 'wide' : 'narrow')];
  switch (field.type) {
    case 'region':
      return (
        <Col key={field.key} {...col}>
          <RegionPicker
            rootCode={field.rootCode}
            placeholder={field.placeholder ?? '全部区划'}
            allowClear
            selectableLevels={field.selectableLevels}
            value={field.value}
            onChange={field.onChange}
          />
        </Col>
      );
    case 'select':
      return (
        <Col key={field.key} {...col}>
          <Select<string>
            aria-label={field.label}
            style={{ width: '100%' }}
            placeholder={field.placeholder}
            allowClear={field.allowClear ?? true}
            showSearch={field.searchable ? { optionFilterProp: 'label' } : undefined}
            options={field.options as Array<{ value: string; label: ReactNode }>}
            value={field.value}
            onChange={(value?: string) => field.onChange(value)}
          />
        </Col>
      );
    case 'search':
      return (
        <Col key={field.key} {...col}>
          <SearchBox field={field} />
        </Col>
      );
    case 'checkbox':
      return (
        <Col key={field.key} {...col} style={{ display: 'flex', alignItems: 'center' }}>
          <Checkbox checked={field.checked} onChange={(event) => field.onChange(event.target.checked)}>
            {field.label}
          </Checkbox>
        </Col>
      );
    case 'custom':
      return (
        <Col key={field.key} {...col}>
          {field.node}
        </Col>
      );
  }
}

/**
 * The filters above a list: a region, selects, a search box, a checkbox (a date range: `dateRangeFields`), each given with its
 * value and what to do on a change (the page keeps them in the address bar, see `useUrlFilters`). Fields
 * wrap onto more rows as the screen narrows — on a 360 px phone a region or a search takes the whole width
 * and two selects share a row — and every control fills its cell. `reset` shows 清除条件 while a filter is set.
 */
export function FilterBar({
  fields,
  reset,
}: {
  fields: ReadonlyArray<FilterField | false | undefined>;
  reset?: { visible: boolean; onReset: () => void; col?: ColProps };
}) {
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
      {fields.map((field) => field && cols(field))}
      {reset?.visible && (
        <Col {...(reset.col ?? SIZES.narrow)}>
          <Button onClick={reset.onReset}>清除条件</Button>
        </Col>
      )}
    </Row>
  );
}
