import type { RegionLevel } from '../../../common/roles.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './regions.repository.js';

export interface RegionView {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  childCount: number;
}

function toView(r: repo.RegionRecord): RegionView {
  return {
    code: r.code,
    name: r.name,
    level: r.level as RegionLevel,
    parentCode: r.parent_code,
    childCount: r.child_count,
  };
}

export function createRegionsService(platform: Platform) {
  const { db } = platform;
  return {
    /** A region the actor may see: their own or one below it. Anything else is 404, existing or not. */
    async get(c: RequestContext, code: string): Promise<RegionView> {
      authorize(c.actor, 'region.read', code);
      const row = await repo.findRegion(db, code);
      if (!row) throw AppError.notFound();
      return toView(row);
    },

    async children(c: RequestContext, code: string): Promise<RegionView[]> {
      authorize(c.actor, 'region.read', code);
      if (!(await repo.findRegion(db, code))) throw AppError.notFound();
      // Children of a region in scope are in scope: the actor's region is that region or above it.
      return (await repo.listChildren(db, code)).map(toView);
    },
  };
}
