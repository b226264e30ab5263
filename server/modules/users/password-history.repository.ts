import { randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';

/** The hashes of the account's previous passwords, newest first. */
export async function previousPasswordHashes(db: Executor, userId: string, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const rows = await db
    .selectFrom('password_history')
    .select('password_hash')
    .where('user_id', '=', userId)
    .orderBy('replaced_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.password_hash);
}

/** Keeps the hash of a password being replaced, and no more than `keep` of them per account. */
export async function rememberReplacedPassword(
  db: Executor,
  userId: string,
  passwordHash: string,
  replacedAt: string,
  keep: number,
): Promise<void> {
  if (keep <= 0) return;
  await db
    .insertInto('password_history')
    .values({ id: randomUUID(), user_id: userId, password_hash: passwordHash, replaced_at: replacedAt })
    .execute();
  const stale = await db
    .selectFrom('password_history')
    .select('id')
    .where('user_id', '=', userId)
    .orderBy('replaced_at', 'desc')
    .orderBy('id', 'desc')
    .offset(keep)
    .limit(1000)
    .execute();
  if (stale.length > 0)
    await db
      .deleteFrom('password_history')
      .where(
        'id',
        'in',
        stale.map((r) => r.id),
      )
      .execute();
}
