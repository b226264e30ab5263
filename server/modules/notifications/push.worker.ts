import type { NotifyChannel } from '../../../common/labels.js';
import type { Platform } from '../../platform/context.js';
import type { OutboxTable } from '../../platform/db/schema.js';
import { RETRY_DELAYS_MS } from '../notices/delivery.worker.js';
import { afterQuietHours, userPhoneAad } from './notifications.service.js';
import { notificationsRepo, pushRepo as repo } from './notifications.repository.js';
import type { PushOutcome, PushProviders } from './providers/index.js';
import { pushMessage } from './push-text.js';

const BATCH = 50;

/**
 * Sends the outbox's push rows (one per notification and channel, written in the cause's transaction)
 * after their commit, through the configured providers. Run by the scheduler (`platform/jobs.ts`): one
 * instance at a time on PostgreSQL, and each row claimed (pending → sending) so it goes out once.
 * A row that comes due inside the user's quiet hours (they may have changed them since) waits for
 * their end; failures retry like the robot messages (5 s, 5 min, 30 min, 2 h), never inside quiet hours.
 */
export function createPushWorker(platform: Platform, providers: PushProviders) {
  const { db, clock, config, crypto } = platform;
  let running = false;

  async function sendOne(
    row: OutboxTable,
    now: Date,
    names: () => Promise<string[]>,
  ): Promise<'sent' | 'later' | 'failed' | 'skipped'> {
    const at = now.toISOString();
    const payload = JSON.parse(row.payload) as { notificationId: string; userId: string; channel: NotifyChannel };
    const finish = async (status: string, error: string | null) =>
      repo.update(db, row.id, {
        status,
        attempts: row.attempts + (status === 'skipped' ? 0 : 1),
        last_error: error,
        ...(status === 'sent' ? { sent_at: clock.now().toISOString() } : {}),
      });
    const [n, u] = await Promise.all([
      notificationsRepo.find(db, payload.notificationId),
      repo.recipient(db, payload.userId),
    ]);
    if (!n || !u || u.is_disabled === 1) {
      await finish('skipped', '账号已停用或提醒已不存在');
      return 'skipped';
    }
    const wanted = u.channels ? (JSON.parse(u.channels) as string[]) : [];
    if (!wanted.includes(payload.channel)) {
      await finish('skipped', '用户已取消该推送方式');
      return 'skipped';
    }
    // Read in the platform meanwhile (say during the quiet hours): nothing left to push.
    if (n.read_at) {
      await finish('skipped', '已在平台内阅读');
      return 'skipped';
    }
    const resume = afterQuietHours(now, u.quiet_from, u.quiet_to);
    if (resume.getTime() > now.getTime()) {
      await repo.update(db, row.id, { status: 'pending', next_attempt_at: resume.toISOString() });
      return 'later';
    }
    const provider = providers[payload.channel as 'wecom_app' | 'sms'];
    let outcome: PushOutcome;
    if (!provider) outcome = { ok: false, transient: false, error: '本平台未配置该推送方式' };
    else {
      const familyId = /^\/families\/([0-9a-f-]{36})/.exec(n.link ?? '')?.[1];
      const known = [...(await names()), ...(familyId ? await repo.familyNames(db, familyId) : [])];
      const phone = u.phone_enc ? crypto.decrypt(u.phone_enc, userPhoneAad(u.id)) : null;
      outcome = await provider.send(
        { phone, wecomUserId: u.wecom_user_id ?? null },
        pushMessage(n, known, config.publicUrl),
      );
    }
    const attempts = row.attempts + 1;
    if (outcome.ok) {
      await finish('sent', null);
      return 'sent';
    }
    if (outcome.transient && attempts <= RETRY_DELAYS_MS.length) {
      const retry = new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]);
      const next = afterQuietHours(retry, u.quiet_from, u.quiet_to);
      await repo.update(db, row.id, {
        status: 'pending',
        attempts,
        next_attempt_at: next.toISOString(),
        last_error: outcome.error,
      });
      return 'later';
    }
    await repo.update(db, row.id, { status: 'failed', attempts, last_error: outcome.error, next_attempt_at: at });
    return 'failed';
  }

  return {
    /** One pass over the due push rows; answers how many were handled (sent, failed or skipped). */
    async runOnce(now: Date = clock.now()): Promise<number> {
      if (running) return 0;
      running = true;
      try {
        const at = now.toISOString();
        let cache: string[] | null = null;
        const names = async () => (cache ??= await repo.accountNames(db));
        let handled = 0;
        for (const row of await repo.due(db, at, BATCH)) {
          if (!(await repo.claim(db, row.id, at))) continue;
          try {
            if ((await sendOne(row, now, names)) !== 'later') handled += 1;
          } catch {
            // Never a stuck row: an unexpected error (a phone that no longer decrypts) fails it with a reason.
            await repo.update(db, row.id, {
              status: 'failed',
              attempts: row.attempts + 1,
              last_error: '推送时发生内部错误',
            });
            handled += 1;
          }
        }
        return handled;
      } finally {
        running = false;
      }
    },
  };
}
export type PushWorker = ReturnType<typeof createPushWorker>;
