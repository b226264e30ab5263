/**
 * Creating archives: one from the form (`create`, `createIn` inside a caller's transaction) or many from an
 * import (`createManyIn`), built the same way (`newArchive`) with the same checks, claims and history.
 */
import { randomUUID } from 'node:crypto';
import type { FamilyDetail, FamilyCreate } from '../../../common/schemas/families.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { isUniqueViolation, type Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import type { ComplianceFacts } from '../compliance/compliance.service.js';
import * as repo from './families.repository.js';
import { type FamilyArchive, snapshot } from './family-archive.js';
import { type FamilyClaims, checkDuplicates, type ArchivedParent } from './family-claims.js';
import { memberRow, newChildRow, newFamilyRow } from './families.columns.js';
import { diff, familyView } from './families.views.js';
import { type AssistanceRate, specialAssistance } from './special-assistance.js';

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
export async function retryClaimRace<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 3 || !isUniqueViolation(err)) throw err;
    }
  }
}

export function createFamilyCreation(
  platform: Platform,
  archive: FamilyArchive,
  claims: FamilyClaims,
  facts: ComplianceFacts,
) {
  const { db, crypto, clock } = platform;
  const {
    today,
    abilities,
    dateShownTo,
    villageInScope,
    requireVillageInScope,
    checkProblems,
    subject,
    historyRow,
    record,
  } = archive;
  const { findDuplicates, writeClaimsAndFlags } = claims;

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

  /** Creates one archive inside the caller's transaction. */
  async function createIn(trx: Tx, c: RequestContext, input: FamilyCreate): Promise<FamilyDetail> {
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
  }

  return {
    createIn,

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

    async create(c: RequestContext, input: FamilyCreate): Promise<FamilyDetail> {
      return retryClaimRace(() => db.transaction().execute((trx) => createIn(trx, c, input)));
    },
  };
}
