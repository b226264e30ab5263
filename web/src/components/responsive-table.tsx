import type { Key, ReactNode } from 'react';
import { Card, Empty, Flex, Grid, Pagination, Skeleton, Table, Typography, type TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';

/**
 * One table for every list (issue 11 item 6): at 1366 px a wide table scrolls inside its box with the
 * actions column pinned to the right edge, so nothing is cut off and the buttons are always in view; on a
 * phone (below 768 px) the rows become cards — the first column as the card's title, the others as label
 * and value, the actions at the bottom. Columns with `key: 'actions'` are the actions.
 */
export function ResponsiveTable<T extends object>(props: TableProps<T> & { cardTitleKey?: string }) {
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const columns = (props.columns ?? []) as Array<ColumnType<T>>;
  const pinned = columns.map((c) => (c.key === 'actions' ? { ...c, fixed: 'right' as const } : c));
  if (!isPhone) return <Table<T> {...props} columns={pinned} scroll={{ x: 'max-content', ...props.scroll }} />;

  const rows = (props.dataSource ?? []) as readonly T[];
  const rowKey = (row: T, i: number): Key =>
    typeof props.rowKey === 'function'
      ? props.rowKey(row, i)
      : ((row as Record<string, unknown>)[(props.rowKey as string) ?? 'key'] as Key);
  const cell = (c: ColumnType<T>, row: T, i: number): ReactNode => {
    const path = c.dataIndex as string | undefined;
    const value = path ? (row as Record<string, unknown>)[path] : undefined;
    return c.render ? (c.render(value, row, i) as ReactNode) : (value as ReactNode);
  };
  const titleColumn = columns.find((c) => c.key === props.cardTitleKey) ?? columns[0];
  const actions = columns.find((c) => c.key === 'actions');
  const fields = columns.filter((c) => c !== titleColumn && c !== actions);
  const pagination = props.pagination === false ? null : props.pagination;
  const onRow = props.onRow;
  const emptyText = props.locale?.emptyText;

  return (
    <div data-testid={(props as { 'data-testid'?: string })['data-testid']} className="responsive-card-list">
      {props.loading && rows.length === 0 ? (
        <Skeleton active />
      ) : rows.length === 0 ? (
        <Empty description={typeof emptyText === 'function' ? undefined : emptyText} />
      ) : (
        <Flex vertical gap={8}>
          {rows.map((row, i) => (
            <Card
              key={rowKey(row, i)}
              size="small"
              data-testid="responsive-card"
              title={cell(titleColumn, row, i)}
              onClick={onRow ? (e) => onRow(row, i).onClick?.(e as never) : undefined}
              style={onRow ? { cursor: 'pointer' } : undefined}
            >
              <dl className="responsive-card-fields">
                {fields.map((c, j) => (
                  <div key={String(c.key ?? j)} className="responsive-card-field">
                    <dt>
                      <Typography.Text type="secondary">{c.title as ReactNode}</Typography.Text>
                    </dt>
                    <dd>{cell(c, row, i)}</dd>
                  </div>
                ))}
              </dl>
              {actions && <div onClick={(e) => e.stopPropagation()}>{cell(actions, row, i)}</div>}
            </Card>
          ))}
        </Flex>
      )}
      {pagination && (
        <Pagination
          style={{ marginTop: 12 }}
          size="small"
          current={pagination.current}
          pageSize={pagination.pageSize}
          total={pagination.total}
          showTotal={pagination.showTotal}
          onChange={(page, pageSize) =>
            props.onChange?.({ current: page, pageSize }, {}, [], { action: 'paginate', currentDataSource: [...rows] })
          }
        />
      )}
    </div>
  );
}
