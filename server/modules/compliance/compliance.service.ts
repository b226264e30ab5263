import type {
  ContactCompliance,
  MonthlyCompliance,
  OverdueFamily,
  TrendPoint,
} from '../../../common/schemas/compliance.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
type PageInfo = { page: number; pageSize: number; total: number };
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange, levelOfCode, subtreeRange } from '../../platform/scope.js';
import { dualPostContactsOf } from '../contacts/contacts.service.js';
import { parentNamesOf } from '../families/family-locator.js';
import { childDigits, childrenOf, regionName } from '../regions/regions.service.js';
import * as repo from './compliance.repository.js';
import * as facts from './family-months.repository.js';

/** The last day of a month (YYYY-MM-DD): other modules take it from here, not from the repository. */
export { monthEnd } from './family-months.repository.js';

export function rate(visited: number, families: number): number {
  return families === 0 ? 0 : Math.round((visited / families) * 10_000) / 10_000;
}

export function previousMonths(month: string, count: number): string[] {
  const [y, m] = month.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/**
 * The fact-row hooks other services call inside their transactions, so the monthly figures are live.
 * (The rows belong to compliance; other modules reach them only through these functions.)
 */
export function createComplianceFacts(platform: Platform) {
  const thisMonth = () => chinaDate(platform.clock.now()).slice(0, 7);
  return {
    thisMonth,
    familyChanged: (trx: Executor, family: facts.FactFamily) => facts.syncFamilyMonth(trx, family, thisMonth()),
    /**
     * `familyChanged` for many families in one statement (the import creates thousands in one transaction,
     * and on PostgreSQL every statement is a round trip). Same row as `syncFamilyMonth` writes for each.
     */
    familiesChanged: async (trx: Executor, families: facts.FactFamily[]) => {
      await facts.syncFamilyMonths(trx, families, thisMonth());
    },
    logsChanged: (trx: Executor, family: facts.FactFamily, month: string) =>
      facts.refreshFamilyMonth(trx, family, month),
    /** One new log counted into its family-month without a recount (`countNewLog`), in the log's transaction. */
    logAdded: (trx: Executor, family: facts.FactFamily, month: string, log: { mode: string; occurred_at: string }) =>
      facts.countNewLog(trx, family, month, log),
    ensureMonth: (executor: Executor, month: string) => facts.ensureMonthRows(executor, month),
    /** For bulk loads that wrote logs directly (demo data, the synthetic province). */
    rebuild: (executor: Executor, months: string[]) => facts.rebuildMonths(executor, months),
  };
}
export type ComplianceFacts = ReturnType<typeof createComplianceFacts>;

type OverdueRow = Awaited<ReturnType<typeof repo.overdueRows>>[number];

/** An overdue family as the list and todos show it, from its row and the parents' names of the page. */
function overdueFamily(
  r: OverdueRow,
  names: Array<{ family_id: string; name: string }>,
): Omit<OverdueFamily, 'contacts'> {
  return {
    familyId: r.id,
    archiveNo: r.archive_no,
    regionCode: r.region_code,
    regionName: r.region_name,
    familyType: r.family_type as OverdueFamily['familyType'],
    parentNames: names.filter((n) => n.family_id === r.id).map((n) => n.name),
    contactsThisMonth: Number(r.contacts),
    lastContactAt: r.last_contact_at,
    lastHomeVisitAt: r.last_home_visit_at,
  };
}

export function createComplianceService(platform: Platform, complianceFacts: ComplianceFacts) {
  // The month's rows are ensured on the primary (a write); the figures and lists read from `reportReads` /
  // `reads`, the replica when DATABASE_READ_URL is set.
  const { db, reads, reportReads } = platform;

  async function monthOrCurrent(month?: string): Promise<string> {
    const current = complianceFacts.thisMonth();
    const m = month ?? current;
    if (m > current) throw AppError.field('month', '不能查询未来月份', 'MONTH_FUTURE');
    if (m === current) await complianceFacts.ensureMonth(db, m);
    return m;
  }

  async function regionOf(code: string) {
    const region = await regionName(reportReads, code);
    if (!region) throw AppError.notFound();
    return region;
  }

  return {
    /** Home-visit compliance (R4) for a region and each child region, live. */
    async monthly(c: RequestContext, regionCode?: string, month?: string): Promise<Omit<MonthlyCompliance, 'asOf'>> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const m = await monthOrCurrent(month);
      const region = await regionOf(code);
      const level = levelOfCode(code);
      const digits = childDigits(level);
      const [rows, children] = await Promise.all([
        repo.rollup(reportReads, subtreeRange(code, level), digits, m),
        childrenOf(reportReads, code),
      ]);
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      const families = rows.reduce((s, r) => s + Number(r.families ?? 0), 0);
      const visited = rows.reduce((s, r) => s + Number(r.visited ?? 0), 0);
      return {
        regionCode: code,
        name: region.name,
        level,
        month: m,
        families,
        visited,
        rate: rate(visited, families),
        children: children.map((ch) => {
          const r = byPrefix.get(ch.code.slice(0, digits));
          const f = Number(r?.families ?? 0);
          const v = Number(r?.visited ?? 0);
          return { regionCode: ch.code, name: ch.name, families: f, visited: v, rate: rate(v, f) };
        }),
      };
    },

    async trend(c: RequestContext, regionCode?: string, months = 12, month?: string): Promise<TrendPoint[]> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const last = await monthOrCurrent(month);
      const span = previousMonths(last, months);
      const rows = await repo.trend(reportReads, subtreeRange(code), span[0], last);
      const byMonth = new Map(rows.map((r) => [r.month, r]));
      return span.map((m) => {
        const r = byMonth.get(m);
        const f = Number(r?.families ?? 0);
        const v = Number(r?.visited ?? 0);
        return { month: m, families: f, visited: v, rate: rate(v, f) };
      });
    },

    async byContact(
      c: RequestContext,
      regionCode: string | undefined,
      month: string | undefined,
      page: { page: number; pageSize: number },
    ): Promise<{ data: ContactCompliance[]; page: PageInfo }> {
      authorize(c.actor, 'compliance.read', regionCode);
      const m = await monthOrCurrent(month);
      const { rows, total } = await repo.byContact(
        reportReads,
        regionCode ? subtreeRange(regionCode) : actorRange(c.actor),
        m,
        page,
      );
      return {
        data: rows.map((r) => ({
          contactId: r.id,
          name: r.name,
          post: r.post as ContactCompliance['post'],
          regionCode: r.region_code,
          regionName: r.region_name,
          families: Number(r.families),
          visited: Number(r.visited),
          rate: rate(Number(r.visited), Number(r.families)),
        })),
        page: { ...page, total },
      };
    },

    /** Families nobody home-visited this month, with their contacts: what a county leader chases. */
    async overdue(
      c: RequestContext,
      regionCode: string | undefined,
      month: string | undefined,
      page: { page: number; pageSize: number },
      contactIds?: string[],
    ): Promise<{ data: OverdueFamily[]; page: PageInfo; month: string }> {
      if (contactIds === undefined) authorize(c.actor, 'compliance.read', regionCode);
      const m = await monthOrCurrent(month);
      const range = regionCode ? subtreeRange(regionCode) : actorRange(c.actor);
      const { rows, total } = await repo.overdue(reads, range, m, page, contactIds);
      const ids = rows.map((r) => r.id);
      const posts = await dualPostContactsOf(reads, ids);
      const names = await parentNamesOf(reads, ids);
      return {
        data: rows.map((r) => ({
          ...overdueFamily(r, names),
          contacts: posts
            .filter((p) => p.family_id === r.id)
            .map((p) => ({
              contactId: p.id,
              post: p.post as ContactCompliance['post'],
              name: p.name,
              phone: p.phone_mask,
            })),
        })),
        page: { ...page, total },
        month: m,
      };
    },

    /**
     * This month's overdue families of these contacts, the first `limit` rows of `overdue`'s list for them,
     * without the page's count or each family's 双岗 contacts: the todo list shows neither.
     */
    async overdueForContacts(c: RequestContext, contactIds: string[], limit = 200) {
      const m = await monthOrCurrent(undefined);
      const rows = await repo.overdueRows(reads, actorRange(c.actor), m, { page: 1, pageSize: limit }, contactIds);
      const names = await parentNamesOf(
        reads,
        rows.map((r) => r.id),
      );
      return { data: rows.map((r) => overdueFamily(r, names)), month: m };
    },
  };
}
export type ComplianceService = ReturnType<typeof createComplianceService>;
