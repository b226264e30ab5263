/** Assistance paid to a family (扶助金, 慰问金 …): a line of the archive, recorded in its history. */
import { randomUUID } from 'node:crypto';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import * as repo from './families.repository.js';
import type { FamilyArchive } from './family-archive.js';
import { loadFamilyInScope } from './family-locator.js';
import type { AssistanceInput, FamilyDetail } from '../../../common/schemas/families.js';

export function createFamilyAssistance(platform: Platform, archive: FamilyArchive) {
  const { db, clock } = platform;
  const { view, record } = archive;
  return {
    async addAssistance(c: RequestContext, id: string, input: AssistanceInput): Promise<FamilyDetail> {
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
  };
}
