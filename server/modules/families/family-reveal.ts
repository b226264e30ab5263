/** The one door to a full ID number, phone or certificate number of an archive: a reason, a limit, an audit row. */
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './families.repository.js';
import { loadFamilyInScope } from './family-locator.js';
import { createRevealGuard } from '../reveals/reveals.service.js';

export function createFamilyReveal(platform: Platform) {
  const revealGuard = createRevealGuard(platform);
  const { db, crypto, audit } = platform;

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

  return {
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
  };
}
