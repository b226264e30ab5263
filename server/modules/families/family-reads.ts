/**
 * The archive read: the list and search (`filtersFor` is also the export's), one archive, its history, and
 * the numbers by child region.
 */
import type {
  FamilyDetail,
  FamilyListItem,
  FamilySearchInfo,
  FamilyStats,
  HistoryEntry,
  SearchKind,
} from '../../../common/schemas/families.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { type Actor, actorRange, levelOfCode, subtreeRange } from '../../platform/scope.js';
import * as repo from './families.repository.js';
import type { FamilyArchive } from './family-archive.js';
import { loadFamilyInScope } from './family-locator.js';
import { parseIdNumber } from '../../../common/validators/id-number.js';
import { parsePhone } from '../../../common/validators/phone.js';
import { idNumberTailIndex } from '../../platform/crypto/sealed-fields.js';
import { childDigits, childrenOf, regionByCode } from '../regions/regions.service.js';
import { historyView, listItemView } from './families.views.js';

export interface FamilyListQuery {
  regionCode?: string;
  q?: string;
  familyType?: string;
  status?: string;
  isSpecialDifficulty?: boolean;
  isEligible?: boolean;
}

/** A page of the list; a search also says what it searched, where and how. */
export interface FamilyListPage {
  data: FamilyListItem[];
  page: { page: number; pageSize: number; total: number };
  search?: FamilySearchInfo;
}

export function createFamilyReads(platform: Platform, archive: FamilyArchive) {
  const { db, reads, reportReads, crypto } = platform;
  const { today, audienceOf, view } = archive;

  /** Reads q as an ID number, a phone, an archive number or a name prefix — whichever it looks like. */
  function interpretQuery(q: string | undefined): Partial<repo.FamilyFilters> {
    if (!q) return {};
    const id = parseIdNumber(q);
    if (id.ok) return { idNumberIdx: crypto.blindIndex('id_number', id.value) };
    if (/^\+?(86)?1[3-9]\d{9}$/.test(q.replace(/[\s-]/g, ''))) {
      const phone = parsePhone(q);
      if (phone.ok) return { phoneIdx: crypto.blindIndex('phone', phone.value) };
    }
    // Six characters of digits (the last may be X): the end of an ID number, as cadres read it out.
    if (/^\d{5}[\dXx]$/.test(q)) return { idNumberTailIdx: idNumberTailIndex(crypto, q) };
    if (/^TS\d{0,16}$/i.test(q)) return { archiveNoPrefix: q.toUpperCase() };
    return { nameContains: q };
  }

  /** What was searched, where and how — said with every answer to a search, shown when it found nothing. */
  async function searchInfo(actor: Actor, query: FamilyListQuery, f: repo.FamilyFilters): Promise<FamilySearchInfo> {
    const regionCode = query.regionCode ?? actor.regionCode;
    const [region] = await repo.regionsByCode(db, [regionCode]);
    const regionName = region?.name ?? regionCode;
    const q = query.q ?? '';
    const [kind, how]: [SearchKind, string] = f.idNumberIdx
      ? ['id_number', '按完整身份证号码查找'] // never repeated: the ID number stays out of the answer
      : f.idNumberTailIdx
        ? ['id_number_tail', `按身份证号码后 6 位“${q.toUpperCase()}”查找`]
        : f.phoneIdx
          ? ['phone', '按完整手机号码查找']
          : f.archiveNoPrefix
            ? ['archive_no', `按档案编号开头为“${f.archiveNoPrefix}”查找`]
            : ['name', `按父母姓名中含有“${q}”查找`];
    const scope = actor.role === 'contact' ? '您联系的家庭中' : `在“${regionName}”范围内`;
    return { kind, regionCode, regionName, description: `${scope}${how}` };
  }

  function filtersFor(actor: Actor, query: FamilyListQuery): repo.FamilyFilters {
    authorize(actor, 'family.read', query.regionCode);
    const range = query.regionCode ? subtreeRange(query.regionCode) : actorRange(actor);
    return {
      range,
      assignedUserId: actor.role === 'contact' ? actor.id : undefined,
      today: today(),
      familyType: query.familyType,
      status: query.status,
      isSpecialDifficulty: query.isSpecialDifficulty,
      isEligible: query.isEligible,
      ...interpretQuery(query.q),
    };
  }

  return {
    filtersFor,

    async list(
      c: RequestContext,
      query: FamilyListQuery,
      page: { page: number; pageSize: number },
    ): Promise<FamilyListPage> {
      const filters = filtersFor(c.actor, query);
      const { rows, total } = await repo.listFamilies(reads, filters, page);
      const ids = rows.map((r) => r.id);
      const [members, children] = await Promise.all([repo.membersOf(reads, ids), repo.childrenOf(reads, ids)]);
      return {
        data: rows.map((r) =>
          listItemView(
            r,
            members.filter((m) => m.family_id === r.id),
            children.find((ch) => ch.family_id === r.id),
            audienceOf(c.actor),
          ),
        ),
        page: { ...page, total },
        ...(query.q ? { search: await searchInfo(c.actor, query, filters) } : {}),
      };
    },

    async get(c: RequestContext, id: string): Promise<FamilyDetail> {
      const row = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.read', row.region_code);
      return view(db, c.actor, id);
    },

    async history(c: RequestContext, id: string): Promise<HistoryEntry[]> {
      const row = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.read', row.region_code);
      const audience = audienceOf(c.actor);
      return (await repo.historyOf(db, id)).map((h) => historyView(h, audience));
    },

    /** Numbers by child region of `regionCode` (or the actor's region): what a county officer looks at first. */
    async stats(c: RequestContext, regionCode?: string): Promise<FamilyStats> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'family.read', code);
      const level = levelOfCode(code);
      const region = await regionByCode(reportReads, code);
      if (!region) throw AppError.notFound();
      const digits = childDigits(level);
      const [rows, children] = await Promise.all([
        repo.countByChildRegion(reportReads, subtreeRange(code, level), digits, today()),
        childrenOf(reportReads, code),
      ]);
      const byPrefix = new Map(rows.map((r) => [r.prefix, r]));
      const numbers = (r: (typeof rows)[number] | undefined) => ({
        total: Number(r?.total ?? 0),
        bereaved: Number(r?.bereaved ?? 0),
        disabled: Number(r?.disabled ?? 0),
        active: Number(r?.active ?? 0),
        paused: Number(r?.paused ?? 0),
        exited: Number(r?.exited ?? 0),
        specialDifficulty: Number(r?.special_difficulty ?? 0),
        eligible: Number(r?.eligible ?? 0),
      });
      const childList =
        level === 'village'
          ? []
          : children.map((ch) => ({
              regionCode: ch.code,
              name: ch.name,
              ...numbers(byPrefix.get(ch.code.slice(0, digits))),
            }));
      const total = rows.reduce((acc, r) => {
        const n = numbers(r);
        for (const k of Object.keys(acc) as Array<keyof typeof acc>) acc[k] += n[k];
        return acc;
      }, numbers(undefined));
      return { regionCode: code, name: region.name, level, ...total, children: childList };
    },
  };
}
