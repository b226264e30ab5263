import type { CareStatus } from '../../../common/labels.js';
import { randomUUID } from 'node:crypto';
import { FESTIVAL_LABELS, festivalsOfYear, type Festival } from '../../../common/festivals.js';
import type {
  CareFamily,
  FamilyFestivalCare,
  FestivalCare,
  FestivalCareCreate,
  FestivalCoverage,
  FestivalDate,
} from '../../../common/schemas/festivals.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { levelOfCode, subtreeRange } from '../../platform/scope.js';
import { dualPostContactsOf } from '../contacts/contacts.service.js';
import { parentNamesOf, type FamilyLocator } from '../families/family-locator.js';
import { childDigits, childrenOf } from '../regions/regions.service.js';
import * as repo from './festivals.repository.js';

/** Festival care (R6): campaigns per festival and year from the lunar calendar, care per family, coverage. */
export function createFestivalsService(platform: Platform, families: Pick<FamilyLocator, 'locate'>) {
  const { db, clock, audit, config } = platform;
  const policy = () => ({
    daysBefore: config.responses.festivalDaysBefore,
    daysAfter: config.responses.festivalDaysAfter,
  });

  /** The campaign row, created on first use with the configured window. */
  async function campaign(executor: Executor, year: number, festival: Festival) {
    const found = await repo.findCampaign(executor, year, festival);
    if (found) return found;
    const f = festivalsOfYear(year, policy()).find((x) => x.festival === festival)!;
    // Two first uses at once both insert; the second does nothing and both read the one row.
    await repo.insertCampaignIfAbsent(executor, {
      id: randomUUID(),
      year,
      festival,
      festival_date: f.date,
      window_from: f.windowFrom,
      window_to: f.windowTo,
    });
    return repo.getCampaign(executor, year, festival);
  }

  /** The campaign whose window contains today, if any. */
  async function openCampaign() {
    const today = chinaDate(clock.now());
    const year = Number(today.slice(0, 4));
    for (const y of [year, year + 1]) {
      for (const f of festivalsOfYear(y, policy())) {
        if (f.windowFrom <= today && today <= f.windowTo) return campaign(db, y, f.festival);
      }
    }
    return undefined;
  }

  return {
    festivals(year: number): FestivalDate[] {
      return festivalsOfYear(year, policy()).map((f) => ({ ...f, label: FESTIVAL_LABELS[f.festival] }));
    },

    openCampaign,

    /** The family's festival care so far: the visit form shows a festival already cared for as done. */
    async ofFamily(c: RequestContext, familyId: string) {
      await families.locate(c.actor, familyId);
      return (await repo.careOfFamily(db, familyId)).map((r) => ({
        year: Number(r.year),
        festival: r.festival as Festival,
        manner: r.manner as FamilyFestivalCare['manner'],
        caredOn: r.cared_on,
        isOutsideWindow: r.outside_window_reason !== null,
      }));
    },

    async record(c: RequestContext, familyId: string, input: FestivalCareCreate) {
      const family = await families.locate(c.actor, familyId);
      authorize(c.actor, 'festival.write', family.region_code);
      if (family.status !== 'active') throw AppError.field('familyId', '只为在册家庭登记节日慰问', 'FAMILY_NOT_ACTIVE');
      if (input.caredOn > chinaDate(clock.now()))
        throw AppError.field('caredOn', '慰问日期不能晚于今天', 'DATE_FUTURE');
      const camp = await campaign(db, input.year, input.festival);
      const outside = input.caredOn < camp.window_from || input.caredOn > camp.window_to;
      if (outside && !input.outsideWindowReason)
        throw AppError.field(
          'outsideWindowReason',
          `慰问日期不在${FESTIVAL_LABELS[input.festival]}慰问期（${camp.window_from} 至 ${camp.window_to}）内，请说明原因`,
          'OUTSIDE_WINDOW',
        );
      if (input.manner === 'money' && !input.amount) throw AppError.field('amount', '送慰问金请填写金额', 'REQUIRED');
      const id = randomUUID();
      try {
        return await db.transaction().execute(async (trx) => {
          await repo.insertCare(trx, {
            id,
            campaign_id: camp.id,
            family_id: familyId,
            region_code: family.region_code,
            manner: input.manner,
            amount: input.amount ?? null,
            goods: input.goods ?? null,
            cared_on: input.caredOn,
            contact_id: input.contactId ?? null,
            outside_window_reason: outside ? (input.outsideWindowReason ?? null) : null,
            note: input.note ?? null,
            created_by: c.actor.id,
            created_at: clock.now().toISOString(),
          });
          await audit.record(trx, c, {
            action: 'festival.care',
            targetType: 'family',
            targetId: familyId,
            changes: { festival: input.festival, year: input.year, manner: input.manner, amount: input.amount ?? null },
          });
          const answer: FestivalCare = {
            id,
            campaignId: camp.id,
            festival: input.festival,
            year: input.year,
            manner: input.manner,
            amount: input.amount ?? null,
            caredOn: input.caredOn,
            isOutsideWindow: outside,
          };
          await c.keepAnswer?.(trx, answer);
          return answer;
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw AppError.field(
            'festival',
            `该家庭${input.year}年${FESTIVAL_LABELS[input.festival]}已登记慰问`,
            'ALREADY_CARED',
          );
        throw err;
      }
    },

    /** Coverage of a campaign by child region: active families, cared for, declined. */
    async coverage(
      c: RequestContext,
      year: number,
      festival: Festival,
      regionCode?: string,
    ): Promise<FestivalCoverage> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const camp = await campaign(db, year, festival);
      const level = levelOfCode(code);
      const digits = childDigits(level);
      const rows = await repo.coverageByPrefix(db, subtreeRange(code, level), camp.id, digits);
      const children = await childrenOf(db, code);
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      const figures = (r?: (typeof rows)[number]) => {
        const fams = Number(r?.families ?? 0);
        const done = Number(r?.cared ?? 0) + Number(r?.declined ?? 0);
        return {
          families: fams,
          cared: Number(r?.cared ?? 0),
          declined: Number(r?.declined ?? 0),
          rate: fams ? Math.round((done / fams) * 10_000) / 10_000 : 0,
        };
      };
      const total = rows.reduce(
        (acc, r) => ({
          families: acc.families + Number(r.families),
          cared: acc.cared + Number(r.cared ?? 0),
          declined: acc.declined + Number(r.declined ?? 0),
        }),
        { families: 0, cared: 0, declined: 0 },
      );
      return {
        year,
        festival,
        label: FESTIVAL_LABELS[festival],
        festivalDate: camp.festival_date,
        windowFrom: camp.window_from,
        windowTo: camp.window_to,
        regionCode: code,
        ...total,
        rate: total.families ? Math.round(((total.cared + total.declined) / total.families) * 10_000) / 10_000 : 0,
        children: children.map((ch) => ({
          regionCode: ch.code,
          name: ch.name,
          ...figures(byPrefix.get(ch.code.slice(0, digits))),
        })),
      };
    },

    /**
     * The active families of a region in one care status for a campaign, so a township can chase the
     * ones not yet cared for. Same scope and action as coverage; parents' names as on the overdue list, no
     * ID numbers or phones.
     */
    async listFamilies(
      c: RequestContext,
      query: { year: number; festival: Festival; regionCode?: string; status: CareStatus },
      page: { page: number; pageSize: number },
    ): Promise<{ data: CareFamily[]; page: { page: number; pageSize: number; total: number } }> {
      const code = query.regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const camp = await campaign(db, query.year, query.festival);
      const { rows, total } = await repo.familiesByStatus(db, subtreeRange(code), camp.id, query.status, page);
      const ids = rows.map((r) => r.id);
      const [names, contacts] = await Promise.all([parentNamesOf(db, ids), dualPostContactsOf(db, ids)]);
      return {
        data: rows.map((r) => ({
          familyId: r.id,
          archiveNo: r.archive_no,
          regionCode: r.region_code,
          regionName: r.region_name,
          familyType: r.family_type as CareFamily['familyType'],
          parentNames: names.filter((n) => n.family_id === r.id).map((n) => n.name),
          contacts: contacts
            .filter((p) => p.family_id === r.id)
            .map((p) => ({ contactId: p.id, post: p.post as CareFamily['contacts'][number]['post'], name: p.name })),
          care:
            r.manner && r.cared_on
              ? { manner: r.manner as NonNullable<CareFamily['care']>['manner'], caredOn: r.cared_on }
              : null,
        })),
        page: { ...page, total },
      };
    },

    /** Families of these contacts not yet cared for in the open campaign (todos). */
    async dueForContacts(contactIds: string[]) {
      const camp = await openCampaign();
      if (!camp || contactIds.length === 0) return { campaign: camp, families: [] };
      const rows = await repo.uncaredFamiliesOfContacts(db, camp.id, contactIds);
      return { campaign: camp, families: rows };
    },
  };
}
export type FestivalsService = ReturnType<typeof createFestivalsService>;
