import { randomUUID } from 'node:crypto';
import type { Platform } from '../../platform/context.js';
import type { OutboxTable } from '../../platform/db/schema.js';
import type { ChannelsService } from '../channels/channels.service.js';
import type { Notify } from '../notifications/notifications.service.js';
import { noticesRepo as repo } from './notices.repository.js';
import { sendFile, sendMarkdown, type RobotOutcome } from './wecom-robot.js';

/** After the first try fails transiently: 5 s, 5 min, 30 min, 2 h; the fifth failure is final. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
/** WeCom allows a group robot 20 messages a minute. */
export const ROBOT_PER_MINUTE = 20;
const BATCH = 50;
/** A row still 'sending' this long after it was claimed was left by a crashed process. */
const STALE_SENDING_MS = 10 * 60_000;

/**
 * Sends the outbox's robot messages after their publication committed. Run by the scheduler
 * (`platform/jobs.ts`), which on PostgreSQL holds an advisory lock per job so one instance works the
 * queue at a time; each row is also claimed with a conditional update (pending → sending), so a message
 * is sent once even if two workers met. Every request is logged in `delivery_attempts` (never the key).
 */
export function createDeliveryWorker(platform: Platform, channels: ChannelsService, notify: Notify) {
  const { db, clock, config } = platform;
  // The scheduler's timer may fire again while a slow robot keeps this pass busy: one pass at a time here.
  let running = false;

  async function attempt(row: OutboxTable, key: string): Promise<RobotOutcome> {
    const payload = JSON.parse(row.payload) as {
      content?: string;
      attachmentId?: string;
      noticeId?: string;
      fileName?: string;
    };
    if (row.kind === 'robot_markdown') return sendMarkdown(config.outbound, key, payload.content ?? '');
    const att = await repo.attachment(db, payload.noticeId!, payload.attachmentId!);
    if (!att) return { ok: false, transient: false, error: '附件已不存在' };
    return sendFile(config.outbound, key, { fileName: att.file_name, bytes: Buffer.from(att.content) });
  }

  /** The delivery's status follows its messages: all sent → sent; one failed for good → failed. */
  async function settleDelivery(deliveryId: string, now: string) {
    const rows = await repo.outboxOfDelivery(db, deliveryId);
    const delivery = await repo.delivery(db, deliveryId);
    if (!delivery) return;
    const failed = rows.find((r) => r.status === 'failed');
    const status = failed ? 'failed' : rows.every((r) => r.status === 'sent') ? 'sent' : 'pending';
    const attempts = rows.reduce((n, r) => n + r.attempts, 0);
    const lastError = failed?.last_error ?? rows.filter((r) => r.last_error).at(-1)?.last_error ?? null;
    await db.transaction().execute(async (trx) => {
      if (failed) await repo.cancelPending(trx, [deliveryId], '前一条消息发送失败，未继续发送');
      await repo.updateDelivery(trx, deliveryId, { status, attempts, last_error: lastError, updated_at: now });
      if (status === 'failed' && delivery.status !== 'failed') {
        const notice = await repo.findHeading(trx, delivery.notice_id);
        if (notice)
          await notify(trx, {
            kind: 'delivery_failed',
            title: `公告推送失败：${notice.title}`,
            body: lastError ?? '企业微信群推送失败',
            link: `/notices/${notice.id}`,
            userIds: [notice.author_id],
            audience: { roles: ['county_staff'], regionCode: notice.region_code },
            dedupeKey: `delivery_failed:${deliveryId}`,
          });
      }
    });
  }

  return {
    /** One pass over what is due; answers how many requests went out. */
    async runOnce(now: Date = clock.now()): Promise<number> {
      if (running) return 0;
      running = true;
      try {
        return await pass(now);
      } finally {
        running = false;
      }
    },
  };

  async function pass(now: Date): Promise<number> {
    {
      const at = now.toISOString();
      await repo.releaseStale(db, new Date(now.getTime() - STALE_SENDING_MS).toISOString());
      let sent = 0;
      const blocked = new Set<string>();
      // A delivery's next message becomes due once the one before it is sent: look again until nothing moves.
      for (let round = 0; round < 20; round++) {
        const before = sent;
        const due = await repo.dueRobotMessages(db, at, BATCH);
        for (const row of due) {
          const channelId = row.channel_id!;
          if (blocked.has(channelId)) continue;
          const recent = await repo.recentAttempts(db, channelId, new Date(now.getTime() - 60_000).toISOString());
          if (recent.count >= ROBOT_PER_MINUTE) {
            // Over the robot's limit: wait until the oldest request of the window is a minute old.
            const next = new Date(Date.parse(recent.oldest!) + 60_000 + 1).toISOString();
            await repo.updateOutbox(db, row.id, { next_attempt_at: next });
            blocked.add(channelId);
            continue;
          }
          if (!(await repo.claim(db, row.id, at))) continue;
          const [channel] = await channels.channelsOf([channelId]);
          const key = channel ? channels.robotKeyOf(channel) : null;
          const outcome: RobotOutcome =
            channel && key && channel.is_active === 1
              ? await attempt(row, key)
              : { ok: false, transient: false, error: '群已停用或未配置机器人 key' };
          sent += 1;
          const attempts = row.attempts + 1;
          const finished = clock.now().toISOString();
          await repo.insertAttempt(db, {
            id: randomUUID(),
            outbox_id: row.id,
            channel_id: channelId,
            attempted_at: at,
            outcome: outcome.ok ? 'sent' : outcome.transient ? 'retry' : 'failed',
            detail: outcome.ok ? null : outcome.error,
          });
          if (outcome.ok) {
            await repo.updateOutbox(db, row.id, { status: 'sent', attempts, sent_at: finished, last_error: null });
            await channels.setRobotState(db, channelId, 'ok', null);
          } else if (outcome.transient && attempts <= RETRY_DELAYS_MS.length) {
            const next = new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]).toISOString();
            await repo.updateOutbox(db, row.id, {
              status: 'pending',
              attempts,
              next_attempt_at: next,
              last_error: outcome.error,
            });
          } else {
            await repo.updateOutbox(db, row.id, { status: 'failed', attempts, last_error: outcome.error });
            await channels.setRobotState(db, channelId, 'failed', outcome.error);
          }
          if (row.delivery_id) await settleDelivery(row.delivery_id, finished);
        }
        if (sent === before) break;
      }
      return sent;
    }
  }
}
export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
