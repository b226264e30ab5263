/**
 * 双岗 coverage (R1, R2): how many active families of a region hold both posts, which miss one, and the
 * special-difficulty families without a county leader — by child region, and the families behind each gap.
 */
import type { Coverage, CoverageGap, CoverageGapKind } from '../../../common/schemas/contacts.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, levelOfCode, subtreeRange } from '../../platform/scope.js';
import { childDigits, childrenOf, regionByCode } from '../regions/regions.service.js';
import * as repo from './contacts.repository.js';
import { coverageGapView, coverageNumbers } from './contacts.views.js';

export function createContactCoverage(platform: Pick<Platform, 'db'>) {
  const { db } = platform;
  return {
    /** 双岗 coverage of active families, for the region and each child region (R1, R2). */
    async coverage(c: RequestContext, regionCode?: string): Promise<Coverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const region = await regionByCode(db, code);
      if (!region) throw AppError.notFound();
      const level = levelOfCode(code);
      const digits = childDigits(level);
      const [rows, children] = await Promise.all([
        repo.coverageByPrefix(db, subtreeRange(code, level), digits),
        childrenOf(db, code),
      ]);
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      const total = rows
        .map((r) => coverageNumbers(r))
        .reduce((a, n) => {
          for (const k of Object.keys(a) as Array<keyof typeof a>) a[k] += n[k];
          return a;
        }, coverageNumbers());
      return {
        regionCode: code,
        name: region.name,
        level,
        ...total,
        children:
          level === 'village'
            ? []
            : children.map((ch) => ({
                regionCode: ch.code,
                name: ch.name,
                ...coverageNumbers(byPrefix.get(ch.code.slice(0, digits))),
              })),
      };
    },

    async gaps(
      c: RequestContext,
      kind: CoverageGapKind,
      regionCode: string | undefined,
      page: { page: number; pageSize: number },
    ): Promise<{ data: CoverageGap[]; page: { page: number; pageSize: number; total: number } }> {
      authorize(c.actor, 'compliance.read', regionCode);
      const range = regionCode ? subtreeRange(regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.familiesWithGap(db, range, kind, page);
      return {
        data: rows.map(coverageGapView),
        page: { ...page, total },
      };
    },
  };
}
