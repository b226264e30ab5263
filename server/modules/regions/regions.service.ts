import type { RegionLevel } from '../../../common/roles.js';
import type { Region } from '../../../common/schemas/regions.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { levelOfCode, SIGNIFICANT_DIGITS, subtreeRange, type RegionRange } from '../../platform/scope.js';
import { REGION_LEVELS } from '../../../common/roles.js';
import * as repo from './regions.repository.js';

export type RegionView = Region;

function toView(r: repo.RegionRecord): RegionView {
  return {
    code: r.code,
    name: r.name,
    level: r.level as RegionLevel,
    parentCode: r.parent_code,
    childCount: r.child_count,
  };
}

/** The level one below each level (a village has none below it: it stands for itself). */
export const CHILD_LEVEL = {
  province: 'prefecture',
  prefecture: 'county',
  county: 'township',
  township: 'village',
  village: 'village',
} as const satisfies Record<RegionLevel, RegionLevel>;

/**
 * The reads other modules make of the region tree (modules talk through services, never to another's
 * repository): a region's own row, and a region's children.
 */
export function regionName(db: Executor, code: string) {
  return repo.regionNameRow(db, code);
}

export function regionByCode(db: Executor, code: string) {
  return repo.regionRow(db, code);
}

/** Significant digits of the level below `level`: the prefix a roll-up of a region by child groups its rows by. */
export function childDigits(level: RegionLevel): number {
  return SIGNIFICANT_DIGITS[CHILD_LEVEL[level]];
}

/** "A region and its children": the regions directly below `code` (code and name, by code); a village has none. */
export async function childrenOf(db: Executor, code: string): Promise<Array<{ code: string; name: string }>> {
  return levelOfCode(code) === 'village' ? [] : repo.childRows(db, code);
}

/**
 * The people modules' region look-ups (liaisons, county staffing, partners, trainings, medical services): a
 * region's code, name and level, its children, the regions of some levels in a subtree, names by code.
 */
export type { RegionBrief } from './regions.repository.js';

export function regionBrief(db: Executor, code: string) {
  return repo.briefRow(db, code);
}

export function childRegions(db: Executor, code: string) {
  return repo.childBriefRows(db, code);
}

export function regionsInRange(db: Executor, range: RegionRange, levels: string[]) {
  return repo.briefRowsInRange(db, range, levels);
}

export function regionNames(db: Executor, codes: string[]) {
  return repo.nameRows(db, codes);
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

    /**
     * Regions under `code` (in scope) whose name contains `q`, at most 20, each with its path of names
     * below `code` (湖北省 › 荆门市 › 钟祥市 › 郢中街道) so that two 新华村 can be told apart.
     */
    async search(c: RequestContext, code: string, q: string): Promise<Array<RegionView & { path: string }>> {
      authorize(c.actor, 'region.read', code);
      if (!(await repo.findRegion(db, code))) throw AppError.notFound();
      const rows = await repo.searchByName(db, subtreeRange(code), q, 20);
      const rootLevel = REGION_LEVELS.indexOf(levelOfCode(code));
      const ancestorsOf = (r: repo.RegionRecord) =>
        REGION_LEVELS.slice(rootLevel, REGION_LEVELS.indexOf(r.level as RegionLevel)).map((l) =>
          r.code.slice(0, SIGNIFICANT_DIGITS[l]).padEnd(12, '0'),
        );
      const names = await repo.namesOf(db, [...new Set(rows.flatMap(ancestorsOf))]);
      return rows.map((r) => ({
        ...toView(r),
        path: [...ancestorsOf(r).map((a) => names.get(a) ?? a), r.name].join(' › '),
      }));
    },

    async children(c: RequestContext, code: string): Promise<RegionView[]> {
      authorize(c.actor, 'region.read', code);
      if (!(await repo.findRegion(db, code))) throw AppError.notFound();
      // Children of a region in scope are in scope: the actor's region is that region or above it.
      return (await repo.listChildren(db, code)).map(toView);
    },
  };
}
export type RegionsService = ReturnType<typeof createRegionsService>;
