import { revealReasonProblem } from '../../../common/schemas/reveals.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { lockForUpdate } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import * as repo from './reveals.repository.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
// Per-account advisory locks on PostgreSQL live in their own key range (the audit chain uses 7001).
const LOCK_BASE = 800_000_000;

function lockKey(userId: string): number {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return LOCK_BASE + (Math.abs(h) % 100_000_000);
}

/**
 * The guard in front of every reveal (issue 10 item 16): the reason must say something, an account may see at
 * most `config.reveal.perHour` full values an hour (then the township must be asked; the refusal is audited and
 * the first one of the hour raises an alert for the auditor), and `config.reveal.burstPerMinute` reveals within a
 * minute raise a burst alert. Counted in the database, so every instance sees the same count.
 */
export function createRevealGuard(platform: Pick<Platform, 'db' | 'dialect' | 'clock' | 'audit' | 'config'>) {
  const { db, dialect, clock, audit, config } = platform;

  return {
    /**
     * Throws when this reveal may not happen; otherwise counts it. Call after the scope and role checks. Beyond
     * the hourly limit, an approved and unexpired request of this account for this very value lets it through
     * once (the request is used up in the same transaction); its id is returned for the audit row.
     */
    async admit(
      c: RequestContext,
      familyId: string,
      field: string,
      reason: string,
    ): Promise<{ revealRequest?: string }> {
      const problem = revealReasonProblem(reason);
      if (problem) throw AppError.field('reason', problem, 'REASON_TOO_VAGUE');
      const now = clock.now();
      const { perHour, burstPerMinute } = config.reveal;
      const refusal = await db
        .transaction()
        .execute(async (trx): Promise<{ refused: boolean; revealRequest?: string }> => {
          // Parallel reveals by one account must not all pass the count (77 in 1.6 s was the finding).
          await lockForUpdate(trx, dialect, lockKey(c.actor.id));
          const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
          const lastHour = await repo.countAttempts(trx, c.actor.id, hourAgo);
          if (perHour > 0 && lastHour.admitted >= perHour) {
            const approved = await repo.openRequestFor(trx, c.actor.id, familyId, field, now.toISOString());
            if (approved?.status === 'approved') {
              const used = await repo.updateRequest(trx, approved.id, approved.version, {
                status: 'used',
                used_at: now.toISOString(),
              });
              if (used) return { refused: false, revealRequest: approved.id };
            }
            await repo.insertAttempt(trx, { userId: c.actor.id, familyId, at: now.toISOString(), refused: true });
            await audit.record(trx, c, {
              action: 'family.reveal',
              targetType: 'family',
              targetId: familyId,
              outcome: 'denied',
              changes: { field, reason: 'rate_limit', perHour },
            });
            if (lastHour.refused === 0)
              await audit.record(trx, c, {
                action: 'security.reveal_rate_exceeded',
                targetType: 'user',
                targetId: c.actor.id,
                outcome: 'denied',
                changes: { revealsLastHour: lastHour.admitted, perHour },
              });
            return { refused: true };
          }
          await repo.pruneAttempts(trx, c.actor.id, new Date(now.getTime() - 2 * HOUR_MS).toISOString());
          await repo.insertAttempt(trx, { userId: c.actor.id, familyId, at: now.toISOString(), refused: false });
          const minuteAgo = new Date(now.getTime() - MINUTE_MS).toISOString();
          const lastMinute = (await repo.countAttempts(trx, c.actor.id, minuteAgo)).admitted;
          // Exactly at the threshold: one alert per burst, not one per reveal in it.
          if (burstPerMinute > 0 && lastMinute === burstPerMinute)
            await audit.record(trx, c, {
              action: 'security.reveal_burst',
              targetType: 'user',
              targetId: c.actor.id,
              changes: { revealsLastMinute: lastMinute, burstPerMinute },
            });
          return { refused: false };
        });
      if (refusal.refused)
        throw new AppError(
          'RATE_LIMITED',
          `本账户一小时内已查看 ${perHour} 次完整号码，已达上限。如确需继续查看，请申请乡镇（街道）批准；本次已记录并告知审计员。`,
        );
      return refusal.revealRequest ? { revealRequest: refusal.revealRequest } : {};
    },

    /** Whether the account has used up its hour (a request for approval is only filed then). */
    async isOverLimit(userId: string): Promise<boolean> {
      const { perHour } = config.reveal;
      if (perHour <= 0) return false;
      const hourAgo = new Date(clock.now().getTime() - HOUR_MS).toISOString();
      return (await repo.countAttempts(db, userId, hourAgo)).admitted >= perHour;
    },
  };
}

export type RevealGuard = ReturnType<typeof createRevealGuard>;
