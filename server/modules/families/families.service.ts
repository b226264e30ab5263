import { randomUUID } from 'node:crypto';
import { maskChanges, maskPersonal, type MaskAudience } from '../../../common/mask.js';
import {
  familyProblems,
  type AssistanceInput,
  type ChildInput,
  type FamilyCreate,
  type FamilyPatch,
  type FamilySearchInfo,
  type MemberInput,
  type SearchKind,
  type StatusChange,
} from '../../../common/schemas/families.js';
import { parseIdNumber } from '../../../common/validators/id-number.js';
import { parsePhone } from '../../../common/validators/phone.js';
import { FAMILY_STATUS, STATUS_REASON } from '../../../common/code-lists.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { isUniqueViolation, type Executor, type Tx } from '../../platform/db/database.js';
import type { FamilyChildTable, FamilyMemberTable, FamilyTable } from '../../platform/db/schema.js';
import { idNumberTailIndex } from '../../platform/crypto/sealed-fields.js';
import { AppError, type ErrorDetail } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import {
  actorRange,
  isInScope,
  levelOfCode,
  SIGNIFICANT_DIGITS,
  subtreeRange,
  type Actor,
} from '../../platform/scope.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import { createRevealGuard } from '../reveals/reveals.service.js';
import { FAMILY_END_PREFIX, type ContactAssignments } from '../contacts/contact-assignments.js';
import * as repo from './families.repository.js';
import { childDigits, childrenOf, regionByCode } from '../regions/regions.service.js';
import { specialAssistance, type AssistanceRate } from './special-assistance.js';
import {
  childColumns,
  FAMILY_PATCH_COLUMNS,
  json,
  MEMBER_PATCH_COLUMNS,
  memberRow,
  newChildRow,
  newFamilyRow,
  sealMemberIdNumber,
  sealMemberPhone,
} from './families.columns.js';
import { diff, familyView, flatten, historyView, listItemView, type FamilyView } from './families.views.js';
import { loadFamilyInScope } from './family-locator.js';

export interface FamilyListQuery {
  regionCode?: string;
  q?: string;
  familyType?: string;
  status?: string;
  isSpecialDifficulty?: boolean;
  isEligible?: boolean;
}

/** Stored masks, history and audit rows hold personal values masked for every reader (`common/mask.ts`). */
const HISTORY_AUDIENCE: MaskAudience = { canReveal: false };

const EXIT_REASONS = ['reborn_or_adopted', 'both_parents_deceased', 'moved_out', 'recovered', 'other'];
const PAUSE_REASONS = ['away', 'other'];

function snapshot(v: Pick<FamilyView, 'members' | 'child'> & Record<string, unknown>): Record<string, unknown> {
  const { members, child, ...family } = v;
  const rest = Object.fromEntries(
    Object.entries(family).filter(([k]) => !['assistance', 'specialAssistance', 'abilities'].includes(k)),
  );
  return flatten({
    ...rest,
    members: Object.fromEntries(members.map((m) => [m.relation, { ...m, id: undefined }])),
    child,
  });
}

/** A batch creation refused one of its inputs: which one, and what `createIn` would have thrown for it. */
export class BatchItemError extends Error {
  constructor(
    readonly index: number,
    readonly error: AppError,
  ) {
    super(error.message);
  }
}

/**
 * Of two concurrent writes claiming one parent ID number, the database refuses the later (a unique index):
 * run it again, and it answers as if it had come second — the normal duplicate answer, never a 500.
 */
async function retryClaimRace<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) throw err;
    }
  }
}

export function createFamiliesService(
  platform: Platform,
  facts: ComplianceFacts,
  assignments: Pick<ContactAssignments, 'endForFamily' | 'resumeForFamily'>,
) {
  // `reads` / `reportReads`: the list, the search and the counts (the replica with DATABASE_READ_URL).
  const { db, reads, reportReads, crypto, clock, audit } = platform;
  const today = () => chinaDate(clock.now());
  const revealGuard = createRevealGuard(platform);

  function abilities(actor: Actor) {
    return {
      update: can(actor, 'family.write'),
      changeStatus: can(actor, 'family.write'),
      addAssistance: can(actor, 'family.assistance'),
      reveal: can(actor, 'family.reveal'),
    };
  }

  function audienceOf(actor: Actor): MaskAudience {
    return { canReveal: can(actor, 'family.reveal') };
  }

  /** The 特别扶助 start date as a reason may name it to this actor (`common/mask.ts`). */
  function dateShownTo(actor: Actor) {
    const audience = audienceOf(actor);
    return (date: string) => maskPersonal('eligibleFrom', date, audience);
  }

  /** The village's name, if an archive may be filed there by this actor. */
  function villageInScope(actor: Actor, regionCode: string, region: { level: string; name: string } | undefined) {
    if (!region || !isInScope(actor, regionCode))
      throw AppError.field('regionCode', '户籍所在村（居）不存在或不在管辖范围内', 'REGION_UNKNOWN');
    if (region.level !== 'village') throw AppError.field('regionCode', '户籍地应选到村（居）委会一级', 'REGION_LEVEL');
    return region.name;
  }

  async function requireVillageInScope(trx: Executor, actor: Actor, regionCode: string): Promise<string> {
    return villageInScope(actor, regionCode, await regionByCode(trx, regionCode));
  }

  type ArchivedParent = {
    id_number_idx: string;
    family_id: string;
    region_code: string;
    archive_no: string;
    status: string;
  };
  /** A parent archived outside the actor's scope: flagged to the supervising level, never named to the actor. */
  type Flag = { idx: string; existing: ArchivedParent };

  /**
   * One archive per household: a parent's ID number may stand in one archive only. An archive inside the
   * actor's scope refuses the new one, naming it; one outside it must not change the answer at all (the
   * platform would tell whether someone is a special-family parent elsewhere): it is returned as a flag.
   */
  function checkDuplicates(
    actor: Actor,
    members: Array<{ idx: string; position: number }>,
    hits: ArchivedParent[],
    ownFamilyId?: string,
  ): { error?: AppError; flags: Flag[] } {
    const details: ErrorDetail[] = [];
    const flags: Flag[] = [];
    for (const m of members) {
      const own = hits.filter((h) => h.id_number_idx === m.idx && h.family_id !== ownFamilyId);
      const visible = own.find((h) => isInScope(actor, h.region_code));
      if (visible)
        details.push({
          path: `members.${m.position}.idNumber`,
          message: `该身份证号码已在本辖区档案 ${visible.archive_no} 中，一户只建一档`,
          code: 'DUPLICATE_ID_NUMBER',
        });
      // One flag per number: against an archive still in force if there is one (an exited one may be the
      // archive a family moved away from, and a transfer already ended it).
      else if (own.length) flags.push({ idx: m.idx, existing: own.find((h) => h.status !== 'exited') ?? own[0] });
    }
    return details.length ? { error: new AppError('CONFLICT', details[0].message, details), flags } : { flags };
  }

  async function findDuplicates(
    trx: Executor,
    actor: Actor,
    members: Array<{ idNumber: string; position: number }>,
    ownFamilyId?: string,
  ): Promise<Flag[]> {
    const withIdx = members.map((m) => ({ idx: crypto.blindIndex('id_number', m.idNumber), position: m.position }));
    const hits = await repo.familiesWithIdNumbers(
      trx,
      withIdx.map((m) => m.idx),
    );
    const { error, flags } = checkDuplicates(actor, withIdx, hits, ownFamilyId);
    if (error) throw error;
    return flags;
  }

  /** The lowest region over both archives, at least the county: its staff resolve the pair. */
  function supervisingCode(a: string, b: string): string {
    for (const digits of [SIGNIFICANT_DIGITS.county, SIGNIFICANT_DIGITS.prefecture])
      if (a.slice(0, digits) === b.slice(0, digits)) return a.slice(0, digits).padEnd(12, '0');
    // Across cities the province; across provinces the new archive's province (it sees only its own side).
    return a.slice(0, SIGNIFICANT_DIGITS.province).padEnd(12, '0');
  }

  /**
   * What the database must hold for new or changed parents: a claim for each parent not archived elsewhere,
   * a flag row for each that is. Written in the actor's transaction, audited apart from the archive's own
   * row, so the archive's answer, history and audit row are those of a fresh number.
   */
  async function writeClaimsAndFlags(
    trx: Tx,
    c: RequestContext,
    archives: Array<{ family: Pick<FamilyTable, 'id' | 'region_code'>; members: FamilyMemberTable[]; flags: Flag[] }>,
  ): Promise<void> {
    const now = clock.now().toISOString();
    const claims = archives.flatMap((a) =>
      a.members
        .filter((m) => !a.flags.some((f) => f.idx === m.id_number_idx))
        .map((m) => ({ id_number_idx: m.id_number_idx, family_id: a.family.id, member_id: m.id })),
    );
    await repo.insertClaims(trx, claims);
    const rows = archives.flatMap((a) => {
      const seen = new Set<string>();
      return a.flags
        .filter((f) => !seen.has(f.existing.family_id) && seen.add(f.existing.family_id))
        .map((f) => ({
          id: randomUUID(),
          id_number_idx: f.idx,
          new_family_id: a.family.id,
          new_region_code: a.family.region_code,
          existing_family_id: f.existing.family_id,
          supervising_code: supervisingCode(a.family.region_code, f.existing.region_code),
          status: 'pending' as const,
          reason: null,
          created_at: now,
          created_by: c.actor.id,
          resolved_at: null,
          resolved_by: null,
          version: 1,
        }));
    });
    await repo.insertDuplicates(trx, rows);
    for (const r of rows)
      await audit.record(trx, c, {
        action: 'duplicate_archive.flag',
        targetType: 'duplicate_archive',
        targetId: r.id,
        changes: { supervisingCode: r.supervising_code },
      });
  }

  function checkProblems(shape: Parameters<typeof familyProblems>[0]): void {
    const problems = familyProblems(shape, today());
    if (problems.length) throw AppError.validation(problems);
  }

  /** The full value behind a reveal field, decrypted; a field error when it is not recorded. */
  async function revealValue(id: string, field: string): Promise<string> {
    const [, a, b] = field.split('.');
    let value: string | null = null;
    if (field.startsWith('members.')) {
      const m = (await repo.membersOf(db, [id]))[Number(a)];
      if (!m) throw AppError.field('field', '该成员不存在', 'FIELD_EMPTY');
      value =
        b === 'idNumber'
          ? crypto.decrypt(m.id_number_enc, `family_members:${m.id}:id_number`)
          : m.phone_enc
            ? crypto.decrypt(m.phone_enc, `family_members:${m.id}:phone`)
            : null;
    } else {
      const [ch] = await repo.childrenOf(db, [id]);
      const enc = a === 'idNumber' ? ch?.id_number_enc : ch?.disability_cert_enc;
      value = enc
        ? crypto.decrypt(enc, `family_children:${id}:${a === 'idNumber' ? 'id_number' : 'disability_cert'}`)
        : null;
    }
    if (value === null) throw AppError.field('field', '该项未登记', 'FIELD_EMPTY');
    return value;
  }

  async function eligibleFrom(
    trx: Executor,
    family: FamilyTable,
    members: FamilyMemberTable[],
    child: FamilyChildTable,
    rates?: AssistanceRate[],
  ) {
    const result = specialAssistance(subject(family, members, child), rates ?? (await repo.loadRates(trx)), today());
    return result.eligibleFrom;
  }

  function subject(
    f: Pick<FamilyTable, 'family_type' | 'status' | 'status_reason' | 'region_code'>,
    members: FamilyMemberTable[],
    child: FamilyChildTable,
  ) {
    return {
      familyType: f.family_type as 'bereaved' | 'disabled',
      status: f.status,
      statusReason: f.status_reason,
      regionCode: f.region_code,
      members: members.map((m) => ({
        relation: m.relation as 'father' | 'mother',
        name: m.name,
        birthDate: m.birth_date,
        isDeceased: m.is_deceased === 1,
      })),
      child: {
        deathDate: child.death_date,
        disabilityGrade: child.disability_grade,
        isRecovered: child.is_recovered === null ? null : child.is_recovered === 1,
      },
    };
  }

  async function view(trx: Executor, actor: Actor, id: string): Promise<FamilyView> {
    const row = await loadFamilyInScope(trx, actor, id);
    const [members, [child], assistance, rates] = await Promise.all([
      repo.membersOf(trx, [id]),
      repo.childrenOf(trx, [id]),
      repo.assistanceOf(trx, id),
      repo.loadRates(trx),
    ]);
    return familyView(
      row,
      members,
      child,
      assistance,
      specialAssistance(subject(row, members, child), rates, today(), undefined, dateShownTo(actor)),
      abilities(actor),
    );
  }

  function historyRow(c: RequestContext, familyId: string, action: string, changes: Record<string, unknown>) {
    return {
      id: randomUUID(),
      family_id: familyId,
      occurred_at: clock.now().toISOString(),
      actor_id: c.actor.id,
      actor_name: c.actor.displayName,
      action,
      changes: JSON.stringify(maskChanges(changes, HISTORY_AUDIENCE)),
    };
  }

  /**
   * A family's work follows its status, in the status change's transaction: an exit ends its contacts'
   * assignments and a pause suspends them (both with the status's reason, audited as `assignment.set`);
   * resuming a paused family gives its contacts back (those still active and covering it, posts not
   * filled meanwhile).
   */
  async function followStatus(
    trx: Tx,
    c: RequestContext,
    family: Pick<FamilyTable, 'id' | 'region_code'>,
    from: string,
    to: string,
    reason: string,
  ): Promise<void> {
    if (to === 'exited' || to === 'paused')
      await assignments.endForFamily(trx, c, family.id, `${FAMILY_END_PREFIX[to]}${STATUS_REASON[reason] ?? reason}`);
    else if (from === 'paused' && to === 'active')
      await assignments.resumeForFamily(
        trx,
        c,
        family.id,
        family.region_code,
        `${FAMILY_STATUS.active}：${STATUS_REASON[reason] ?? reason}`,
      );
  }

  async function record(
    trx: Tx,
    c: RequestContext,
    familyId: string,
    action: string,
    changes: Record<string, unknown>,
  ) {
    await repo.insertHistory(trx, historyRow(c, familyId, action, changes));
    await audit.record(trx, c, {
      action: `family.${action}` as 'family.update',
      targetType: 'family',
      targetId: familyId,
      // Masked for the history's readers first; the audit row then keeps masks and digests only (audit-values.ts).
      changes: maskChanges(changes, HISTORY_AUDIENCE) as Record<string, [unknown, unknown]>,
    });
  }

  /**
   * A new archive's rows, its view and its history entry, from checked input and its reserved serial: no
   * I/O, so single creation and the import build archives the same way.
   */
  function newArchive(
    c: RequestContext,
    input: FamilyCreate,
    serial: number,
    regionName: string,
    rates: AssistanceRate[],
  ) {
    const id = randomUUID();
    const now = clock.now().toISOString();
    const family = newFamilyRow(id, input, serial, { now, today: today() });
    const members = input.members.map((m, i) => memberRow(crypto, id, i, m));
    const child = newChildRow(crypto, id, input.child);
    const assistance = specialAssistance(
      subject(family, members, child),
      rates,
      today(),
      undefined,
      dateShownTo(c.actor),
    );
    family.eligible_from = assistance.eligibleFrom;
    // Built from what is written rather than read back: creation is the import's hot path.
    const view = familyView({ ...family, region_name: regionName }, members, child, [], assistance, abilities(c.actor));
    const changes = diff({}, snapshot(view));
    return { family, members, child, view, changes, history: historyRow(c, id, 'create', changes) };
  }

  const SERIAL_EXHAUSTED = () =>
    AppError.field('regionCode', '该村档案编号已用尽，请联系系统管理员', 'ARCHIVE_SERIAL_EXHAUSTED');

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

  async function updateOnce(c: RequestContext, id: string, patch: FamilyPatch): Promise<FamilyView> {
    const existing = await loadFamilyInScope(db, c.actor, id);
    authorize(c.actor, 'family.write', existing.region_code);
    return db.transaction().execute(async (trx) => {
      const before = await view(trx, c.actor, id);
      if (before.version !== patch.version) throw new AppError('VERSION_CONFLICT');
      if (patch.regionCode && patch.regionCode !== before.regionCode)
        await requireVillageInScope(trx, c.actor, patch.regionCode);
      const storedMembers = await repo.membersOf(trx, [id]);
      const [storedChild] = await repo.childrenOf(trx, [id]);

      // Merge the patch over what is stored, then check the whole archive as if it were new.
      const mergedMembers = storedMembers.map((m) => ({
        relation: m.relation as 'father' | 'mother',
        idNumber: '',
        sex: m.sex as 'male' | 'female',
        birthDate: m.birth_date,
        isDeceased: m.is_deceased === 1,
        deathDate: m.death_date,
        stored: m,
      }));
      const newMembers: Array<{ position: number; input: MemberInput }> = [];
      for (const p of patch.members ?? []) {
        const target = mergedMembers.find((m) => m.relation === p.relation);
        if (target) {
          if (p.idNumber) {
            const parsed = parseIdNumber(p.idNumber);
            if (parsed.ok)
              Object.assign(target, { idNumber: parsed.value, sex: parsed.sex, birthDate: parsed.birthDate });
          }
          if (p.isDeceased !== undefined) target.isDeceased = p.isDeceased;
          if (p.deathDate !== undefined) target.deathDate = p.deathDate ?? null;
        } else {
          if (!p.name || !p.idNumber)
            throw AppError.field(
              `members`,
              `新增${p.relation === 'father' ? '父亲' : '母亲'}须填写姓名和身份证号码`,
              'REQUIRED',
            );
          newMembers.push({ position: storedMembers.length + newMembers.length, input: p as MemberInput });
        }
      }
      const shapeMembers = [
        ...mergedMembers.map((m) => ({
          ...m,
          idNumber: m.idNumber || crypto.decrypt(m.stored.id_number_enc, `family_members:${m.stored.id}:id_number`),
        })),
        ...newMembers.map((n) => n.input),
      ];
      const child = {
        ...before.child,
        ...patch.child,
        idNumber:
          patch.child?.idNumber ??
          (storedChild.id_number_enc
            ? crypto.decrypt(storedChild.id_number_enc, `family_children:${id}:id_number`)
            : null),
        disabilityCertNo:
          patch.child?.disabilityCertNo !== undefined
            ? patch.child.disabilityCertNo
            : storedChild.disability_cert_enc
              ? crypto.decrypt(storedChild.disability_cert_enc, `family_children:${id}:disability_cert`)
              : null,
      };
      checkProblems({
        familyType: patch.familyType ?? before.familyType,
        enteredAt: patch.enteredAt ?? before.enteredAt,
        members: shapeMembers,
        child: child as ChildInput,
      });
      const changedIds = [
        ...(patch.members ?? [])
          .filter((p) => p.idNumber)
          .map((p) => ({
            idNumber: p.idNumber!,
            position: shapeMembers.findIndex((m) => m.relation === p.relation),
          })),
      ];
      const flags = changedIds.length ? await findDuplicates(trx, c.actor, changedIds, id) : [];

      const set: Partial<FamilyTable> = { updated_at: clock.now().toISOString() };
      for (const [from, to] of FAMILY_PATCH_COLUMNS)
        if (patch[from] !== undefined) (set as Record<string, unknown>)[to] = patch[from] ?? null;
      if (patch.isSpecialDifficulty !== undefined) set.is_special_difficulty = patch.isSpecialDifficulty ? 1 : 0;
      if (patch.extra !== undefined) set.extra = json(patch.extra);

      /** Members whose ID number is new to this archive: they claim it (or are flagged). */
      const reclaimed: FamilyMemberTable[] = [];
      for (const p of patch.members ?? []) {
        const stored = storedMembers.find((m) => m.relation === p.relation);
        if (!stored) continue;
        const ms: Partial<FamilyMemberTable> = {};
        if (p.name !== undefined) ms.name = p.name;
        if (p.idNumber) {
          const parsed = parseIdNumber(p.idNumber);
          if (parsed.ok)
            Object.assign(ms, {
              sex: parsed.sex,
              birth_date: parsed.birthDate,
              ...sealMemberIdNumber(crypto, stored.id, parsed.value),
            });
          if (parsed.ok && ms.id_number_idx !== stored.id_number_idx) {
            await repo.releaseMemberClaim(trx, stored.id);
            reclaimed.push({ ...stored, ...ms });
          }
        }
        if (p.phone !== undefined) Object.assign(ms, sealMemberPhone(crypto, stored.id, p.phone));
        for (const [from, to] of MEMBER_PATCH_COLUMNS)
          if (p[from] !== undefined) (ms as Record<string, unknown>)[to] = p[from] ?? null;
        if (p.isDeceased !== undefined || p.deathDate) ms.is_deceased = p.isDeceased || p.deathDate ? 1 : 0;
        if (p.extra !== undefined) ms.extra = json(p.extra);
        if (Object.keys(ms).length) await repo.updateMember(trx, stored.id, ms);
      }
      for (const n of newMembers) {
        const row = memberRow(crypto, id, n.position, n.input);
        await repo.insertMember(trx, row);
        reclaimed.push(row);
      }
      await writeClaimsAndFlags(trx, c, [
        { family: { id, region_code: set.region_code ?? existing.region_code }, members: reclaimed, flags },
      ]);
      if (patch.child) {
        const cs = childColumns(crypto, id, patch.child);
        if (Object.keys(cs).length) await repo.updateChild(trx, id, cs);
      }

      const members = await repo.membersOf(trx, [id]);
      const [childRow] = await repo.childrenOf(trx, [id]);
      const familyNow = { ...existing, ...set } as FamilyTable;
      set.eligible_from = await eligibleFrom(trx, familyNow, members, childRow);
      if (!(await repo.updateFamilyRow(trx, id, patch.version, set))) throw new AppError('VERSION_CONFLICT');
      if (set.region_code) await facts.familyChanged(trx, familyNow);
      if (set.region_code || patch.members?.length) await repo.reindexNames(trx, [id]);
      const after = await view(trx, c.actor, id);
      const changes = diff(snapshot(before), snapshot(after));
      await record(trx, c, id, 'update', changes);
      return after;
    });
  }

  const service = {
    filtersFor,

    /**
     * A confirmed death of a parent (R5): the member is marked deceased; when no parent is left the
     * archive exits with 夫妻双方均已亡故.
     */
    async recordDeath(
      trx: Tx,
      c: RequestContext,
      familyId: string,
      relation: 'father' | 'mother',
      deathDate: string,
    ): Promise<void> {
      const family = await loadFamilyInScope(trx, c.actor, familyId);
      authorize(c.actor, 'family.write', family.region_code);
      const members = await repo.membersOf(trx, [familyId]);
      const member = members.find((m) => m.relation === relation);
      if (!member) throw AppError.field('affectedRelation', '档案中没有该成员', 'MEMBER_UNKNOWN');
      if (deathDate < member.birth_date) throw AppError.field('occurredAt', '死亡日期早于出生日期', 'DATE_ORDER');
      await repo.updateMember(trx, member.id, { is_deceased: 1, death_date: deathDate });
      const nobodyLeft = members.every((m) => m.id === member.id || m.is_deceased === 1);
      const set: Partial<FamilyTable> = { updated_at: clock.now().toISOString() };
      if (nobodyLeft && family.status !== 'exited')
        Object.assign(set, {
          status: 'exited',
          status_reason: 'both_parents_deceased',
          status_date: deathDate,
          status_note: '重大情况（亡故）确认后自动退出',
        });
      const [child] = await repo.childrenOf(trx, [familyId]);
      set.eligible_from = await eligibleFrom(
        trx,
        { ...family, ...set } as FamilyTable,
        await repo.membersOf(trx, [familyId]),
        child,
      );
      if (!(await repo.updateFamilyRow(trx, familyId, family.version, set))) throw new AppError('VERSION_CONFLICT');
      await facts.familyChanged(trx, { ...family, ...set } as FamilyTable);
      if (set.status === 'exited') await followStatus(trx, c, family, family.status, 'exited', 'both_parents_deceased');
      await record(trx, c, familyId, 'death', {
        [`members.${relation}.isDeceased`]: [false, true],
        [`members.${relation}.deathDate`]: [member.death_date, deathDate],
        ...(set.status
          ? { status: [family.status, set.status], statusReason: [family.status_reason, set.status_reason] }
          : {}),
      });
    },

    /**
     * Ends an archive as the resolution of a cross-region duplicate (duplicate-archives.service): the
     * supervising staff act without `family.write`, so the caller has authorized `duplicate.resolve` over
     * both archives. Recorded in the archive's history and audit like any exit. An exited archive keeps its
     * status and only gets the history entry.
     */
    async exitForDuplicate(
      trx: Tx,
      c: RequestContext,
      familyId: string,
      statusReason: 'moved_out' | 'other',
      note: string,
    ): Promise<void> {
      const family = await repo.findFamily(trx, familyId);
      if (!family || !isInScope(c.actor, family.region_code)) throw AppError.notFound();
      if (family.status === 'exited') {
        await record(trx, c, familyId, 'duplicate', { statusNote: [family.status_note, note] });
        return;
      }
      const members = await repo.membersOf(trx, [familyId]);
      const [child] = await repo.childrenOf(trx, [familyId]);
      const set: Partial<FamilyTable> = {
        status: 'exited',
        status_reason: statusReason,
        status_date: today(),
        status_note: note,
        updated_at: clock.now().toISOString(),
      };
      set.eligible_from = await eligibleFrom(trx, { ...family, ...set } as FamilyTable, members, child);
      if (!(await repo.updateFamilyRow(trx, familyId, family.version, set))) throw new AppError('VERSION_CONFLICT');
      await facts.familyChanged(trx, { ...family, ...set } as FamilyTable);
      await followStatus(trx, c, family, family.status, 'exited', statusReason);
      await record(trx, c, familyId, 'duplicate', {
        status: [family.status, 'exited'],
        statusReason: [family.status_reason, statusReason],
        statusDate: [family.status_date, set.status_date],
        statusNote: [family.status_note, note],
      });
    },

    async list(c: RequestContext, query: FamilyListQuery, page: { page: number; pageSize: number }) {
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

    async get(c: RequestContext, id: string): Promise<FamilyView> {
      const row = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.read', row.region_code);
      return view(db, c.actor, id);
    },

    async history(c: RequestContext, id: string) {
      const row = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.read', row.region_code);
      const audience = audienceOf(c.actor);
      return (await repo.historyOf(db, id)).map((h) => historyView(h, audience));
    },

    /** Creates one archive inside the caller's transaction. */
    async createIn(trx: Tx, c: RequestContext, input: FamilyCreate): Promise<FamilyView> {
      authorize(c.actor, 'family.write');
      checkProblems({ ...input, members: input.members, child: input.child });
      const regionName = await requireVillageInScope(trx, c.actor, input.regionCode);
      const flags = await findDuplicates(
        trx,
        c.actor,
        input.members.map((m, position) => ({ idNumber: m.idNumber, position })),
      );
      const serial = await repo.nextArchiveSerial(trx, input.regionCode);
      if (serial > 9999) throw SERIAL_EXHAUSTED();
      const archive = newArchive(c, input, serial, regionName, await repo.loadRates(trx));
      await repo.insertFamily(trx, archive.family, archive.members, archive.child);
      await writeClaimsAndFlags(trx, c, [{ ...archive, flags }]);
      await facts.familyChanged(trx, archive.family);
      await record(trx, c, archive.family.id, 'create', archive.changes);
      return archive.view;
    },

    /**
     * Creates many archives inside the caller's transaction (the import), all or nothing: the checks, rows,
     * archive numbers (in input order per village) and history of `createIn` for each, but with the villages
     * asked and the serials reserved once for the whole batch, and the archived parents asked and the rows
     * written `chunk` archives at a time in multi-row statements (on PostgreSQL every statement is a round
     * trip). The caller writes the one audit row of the batch. A refused input throws `BatchItemError` naming
     * it: the first refused by shape or village, else the first refused as a duplicate or for want of serials.
     */
    async createManyIn(
      trx: Tx,
      c: RequestContext,
      inputs: FamilyCreate[],
      options: { chunk: number; onChunk?: (created: number) => Promise<void> },
    ): Promise<string[]> {
      authorize(c.actor, 'family.write');
      const refused = (index: number, err: unknown) => (err instanceof AppError ? new BatchItemError(index, err) : err);
      const codes = [...new Set(inputs.map((input) => input.regionCode))];
      const regions = new Map((await repo.regionsByCode(trx, codes)).map((r) => [r.code, r]));
      const regionNames = inputs.map((input, i) => {
        try {
          checkProblems({ ...input, members: input.members, child: input.child });
          return villageInScope(c.actor, input.regionCode, regions.get(input.regionCode));
        } catch (err) {
          throw refused(i, err);
        }
      });

      const perVillage = new Map<string, number>();
      for (const input of inputs) perVillage.set(input.regionCode, (perVillage.get(input.regionCode) ?? 0) + 1);
      const last = await repo.reserveArchiveSerials(trx, perVillage);
      const next = new Map([...perVillage].map(([code, n]) => [code, last.get(code)! - n]));
      const serials = inputs.map((input) => {
        const serial = next.get(input.regionCode)! + 1;
        next.set(input.regionCode, serial);
        return serial;
      });

      const rates = await repo.loadRates(trx);
      const archiveNos: string[] = [];
      for (let from = 0; from < inputs.length; from += options.chunk) {
        const built = inputs.slice(from, from + options.chunk).map((input, k) => {
          try {
            return newArchive(c, input, serials[from + k], regionNames[from + k], rates);
          } catch (err) {
            throw refused(from + k, err);
          }
        });
        // Parents archived before, or by the earlier chunks of this transaction, or earlier in this chunk: as
        // if each archive were created in turn. The members' blind indexes are the ones just computed.
        const archived = new Map<string, ArchivedParent[]>();
        for (const h of await repo.familiesWithIdNumbers(trx, [
          ...new Set(built.flatMap((a) => a.members.map((m) => m.id_number_idx))),
        ]))
          archived.set(h.id_number_idx, [...(archived.get(h.id_number_idx) ?? []), h]);
        const flagsOf = built.map((a, k) => {
          const parents = a.members.map((m) => ({ idx: m.id_number_idx, position: m.position }));
          const hits = parents.flatMap((p) => archived.get(p.idx) ?? []);
          const { error, flags } = checkDuplicates(c.actor, parents, hits);
          if (error) throw refused(from + k, error);
          if (serials[from + k] > 9999) throw refused(from + k, SERIAL_EXHAUSTED());
          for (const p of parents)
            archived.set(p.idx, [
              ...(archived.get(p.idx) ?? []),
              {
                id_number_idx: p.idx,
                family_id: a.family.id,
                region_code: a.family.region_code,
                archive_no: a.family.archive_no,
                status: a.family.status,
              },
            ]);
          return flags;
        });
        await repo.insertFamilies(
          trx,
          built.map((a) => a.family),
          built.flatMap((a) => a.members),
          built.map((a) => a.child),
        );
        await writeClaimsAndFlags(
          trx,
          c,
          built.map((a, k) => ({ ...a, flags: flagsOf[k] })),
        );
        await facts.familiesChanged(
          trx,
          built.map((a) => a.family),
        );
        await repo.insertHistory(trx, ...built.map((a) => a.history));
        archiveNos.push(...built.map((a) => a.family.archive_no));
        await options.onChunk?.(archiveNos.length);
      }
      return archiveNos;
    },

    async create(c: RequestContext, input: FamilyCreate): Promise<FamilyView> {
      return retryClaimRace(() => db.transaction().execute((trx) => service.createIn(trx, c, input)));
    },

    async update(c: RequestContext, id: string, patch: FamilyPatch): Promise<FamilyView> {
      return retryClaimRace(() => updateOnce(c, id, patch));
    },

    async changeStatus(c: RequestContext, id: string, input: StatusChange): Promise<FamilyView> {
      const existing = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.write', existing.region_code);
      const allowed =
        input.status === 'exited' ? EXIT_REASONS : input.status === 'paused' ? PAUSE_REASONS : ['resumed', 'other'];
      if (!allowed.includes(input.reason)) throw AppError.field('reason', '变更原因与目标状态不符', 'REASON_MISMATCH');
      // A stale version is a conflict first: the status it was judged against may be the one another writer set.
      if (input.version !== existing.version) throw new AppError('VERSION_CONFLICT');
      if (input.status === existing.status) throw AppError.field('status', '档案已是该状态', 'STATUS_UNCHANGED');
      if (existing.status === 'exited' && c.actor.role !== 'township_staff')
        throw new AppError('FORBIDDEN', '已退出的档案只能由乡镇（街道）工作人员恢复');
      if (input.effectiveDate > today()) throw AppError.field('effectiveDate', '生效日期不能晚于今天', 'DATE_FUTURE');
      if (input.effectiveDate < existing.entered_at)
        throw AppError.field('effectiveDate', '生效日期不能早于建档日期', 'DATE_ORDER');
      if (input.reason === 'recovered' && existing.family_type !== 'disabled')
        throw AppError.field('reason', '“子女康复”只适用于伤残家庭', 'REASON_MISMATCH');
      return db.transaction().execute(async (trx) => {
        const members = await repo.membersOf(trx, [id]);
        const [child] = await repo.childrenOf(trx, [id]);
        const set: Partial<FamilyTable> = {
          status: input.status,
          status_reason: input.reason,
          status_date: input.effectiveDate,
          status_note: input.note ?? null,
          updated_at: clock.now().toISOString(),
        };
        set.eligible_from = await eligibleFrom(trx, { ...existing, ...set } as FamilyTable, members, child);
        if (!(await repo.updateFamilyRow(trx, id, input.version, set))) throw new AppError('VERSION_CONFLICT');
        await facts.familyChanged(trx, { ...existing, ...set } as FamilyTable);
        await followStatus(trx, c, existing, existing.status, input.status, input.reason);
        await record(trx, c, id, 'status', {
          status: [existing.status, input.status],
          statusReason: [existing.status_reason, input.reason],
          statusDate: [existing.status_date, input.effectiveDate],
          ...(input.note ? { statusNote: [existing.status_note, input.note] } : {}),
        });
        return view(trx, c.actor, id);
      });
    },

    async addAssistance(c: RequestContext, id: string, input: AssistanceInput) {
      const existing = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.assistance', existing.region_code);
      if (input.periodTo && input.periodTo < input.periodFrom)
        throw AppError.field('periodTo', '截止年月早于起始年月', 'DATE_ORDER');
      return db.transaction().execute(async (trx) => {
        const assistanceId = randomUUID();
        await repo.insertAssistance(trx, {
          id: assistanceId,
          family_id: id,
          item: input.item,
          period_from: input.periodFrom,
          period_to: input.periodTo ?? null,
          amount_cents: Math.round(input.amount * 100),
          source: input.source ?? null,
          note: input.note ?? null,
          created_at: clock.now().toISOString(),
          created_by: c.actor.id,
        });
        await repo.updateFamilyRow(trx, id, existing.version, { updated_at: clock.now().toISOString() });
        await record(trx, c, id, 'assistance', {
          item: [null, input.item],
          period: [null, `${input.periodFrom}${input.periodTo ? `～${input.periodTo}` : ''}`],
          amount: [null, input.amount],
        });
        return view(trx, c.actor, id);
      });
    },

    /** The one door to a full ID number or phone: a reason is required and the read is audited. */
    async reveal(c: RequestContext, id: string, field: string, reason: string) {
      const existing = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.reveal', existing.region_code);
      // Looked up first (not sent yet): an empty field costs no reveal and no approved request.
      const value = await revealValue(id, field);
      const admitted = await revealGuard.admit(c, id, field, reason);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'family.reveal',
          targetType: 'family',
          targetId: id,
          changes: { field, reason, ...(admitted.revealRequest ? { revealRequest: admitted.revealRequest } : {}) },
        }),
      );
      return { field, value };
    },

    /**
     * The family row for a request to reveal `field` beyond the hourly limit: in scope (404), a role that may
     * reveal (403), and a field that holds a value (a request for nothing is refused before anyone approves it).
     */
    async revealable(c: RequestContext, id: string, field: string): Promise<repo.FamilyRow> {
      const existing = await loadFamilyInScope(db, c.actor, id);
      authorize(c.actor, 'family.reveal', existing.region_code);
      await revealValue(id, field);
      return existing;
    },

    /** Numbers by child region of `regionCode` (or the actor's region): what a county officer looks at first. */
    async stats(c: RequestContext, regionCode?: string) {
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
  return service;
}

export type FamiliesService = ReturnType<typeof createFamiliesService>;
