/**
 * What the archive's use cases share (issue 12 split families.service by concern): the actor's abilities and
 * masks, the village and shape checks, the 特别扶助 start, the detail view, and a change's history entry with
 * its audit row. The use cases — `family-reads`, `family-creation`, `family-edits`, `family-status`,
 * `family-assistance`, `family-reveal` — each take this; `families.service.ts` puts them together.
 */
import { randomUUID } from 'node:crypto';
import { maskChanges, maskPersonal, type MaskAudience } from '../../../common/mask.js';
import { familyProblems } from '../../../common/schemas/families.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import type { FamilyChildTable, FamilyMemberTable, FamilyTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import { isInScope, type Actor } from '../../platform/scope.js';
import { regionByCode } from '../regions/regions.service.js';
import * as repo from './families.repository.js';
import { familyView, flatten, type FamilyView } from './families.views.js';
import { loadFamilyInScope } from './family-locator.js';
import { specialAssistance, type AssistanceRate } from './special-assistance.js';

/** Stored masks, history and audit rows hold personal values masked for every reader (`common/mask.ts`). */
export const HISTORY_AUDIENCE: MaskAudience = { canReveal: false };

/** An archive as its history compares it: every field flattened, members by relation, no derived parts. */
export function snapshot(v: Pick<FamilyView, 'members' | 'child'> & Record<string, unknown>): Record<string, unknown> {
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

export function createFamilyArchive(platform: Pick<Platform, 'clock' | 'audit'>) {
  const { clock, audit } = platform;
  const today = () => chinaDate(clock.now());

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

  function checkProblems(shape: Parameters<typeof familyProblems>[0]): void {
    const problems = familyProblems(shape, today());
    if (problems.length) throw AppError.validation(problems);
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

  /** A change's history entry and its audit row, in the change's transaction. */
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

  return {
    today,
    abilities,
    audienceOf,
    dateShownTo,
    villageInScope,
    requireVillageInScope,
    checkProblems,
    eligibleFrom,
    subject,
    view,
    historyRow,
    record,
  };
}

export type FamilyArchive = ReturnType<typeof createFamilyArchive>;
