import type { CSSProperties } from 'react';
import { Link } from 'react-router';
import { Breadcrumb, Button, Typography } from 'antd';
import type { Region } from '../api/regions';

/**
 * The drill breadcrumb of a region page: the regions from the actor's own region down to the current one,
 * the current one in bold, each region above it a way back up — a link (`linkTo`, the address is the state)
 * or a link-styled button (`onSelect`, the page keeps the region in a query parameter). antd's breadcrumb
 * wraps onto more lines on a phone, so a long path stays readable at 360 px.
 */
export function RegionBreadcrumb({
  path,
  onSelect,
  linkTo,
  currentTestId,
  style,
}: {
  path: ReadonlyArray<Pick<Region, 'code' | 'name'>>;
  onSelect?: (code: string) => void;
  linkTo?: (code: string) => string;
  currentTestId?: string;
  style?: CSSProperties;
}) {
  return (
    <Breadcrumb
      style={style}
      items={path.map((region, i) => ({
        key: region.code,
        title:
          i === path.length - 1 ? (
            <Typography.Text strong data-testid={currentTestId}>
              {region.name}
            </Typography.Text>
          ) : linkTo ? (
            <Link to={linkTo(region.code)}>{region.name}</Link>
          ) : (
            <Button
              type="link"
              size="small"
              style={{ padding: 0, height: 'auto' }}
              onClick={() => onSelect?.(region.code)}
            >
              {region.name}
            </Button>
          ),
      }))}
    />
  );
}
