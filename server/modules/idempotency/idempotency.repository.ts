import type { Executor } from '../../platform/db/database.js';
import { prepared } from '../../platform/db/prepared.js';
import type { IdempotencyKeyTable } from '../../platform/db/schema.js';

const findKey = prepared((db, p: { userId: string; key: string }) =>
  db
    .selectFrom('idempotency_keys')
    .select(['request_digest', 'status', 'response'])
    .where('user_id', '=', p.userId)
    .where('key', '=', p.key),
);

const insertKey = prepared((db, p: IdempotencyKeyTable) =>
  db.insertInto('idempotency_keys').values({
    user_id: p.user_id,
    key: p.key,
    request_digest: p.request_digest,
    status: p.status,
    response: p.response,
    created_at: p.created_at,
  }),
);

export const idempotencyRepo = {
  async find(db: Executor, userId: string, key: string) {
    return (await findKey(db, { userId, key })).rows[0];
  },
  /** Fails with a unique violation when this user already used the key: a concurrent duplicate loses here. */
  async insert(db: Executor, row: IdempotencyKeyTable): Promise<void> {
    await insertKey(db, row);
  },
  async purgeBefore(db: Executor, before: string): Promise<number> {
    const res = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  },
};
