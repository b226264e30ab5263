import { randomUUID } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';

/** Reveals the account made since `since` (ISO), and how many of them were refused. */
export async function countAttempts(
  db: Executor,
  userId: string,
  since: string,
): Promise<{ admitted: number; refused: number }> {
  const rows = await db
    .selectFrom('reveal_attempts')
    .select(['refused', (eb) => eb.fn.countAll<number>().as('n')])
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .groupBy('refused')
    .execute();
  const n = (refused: number) => Number(rows.find((r) => Number(r.refused) === refused)?.n ?? 0);
  return { admitted: n(0), refused: n(1) };
}

export async function insertAttempt(
  db: Executor,
  row: { userId: string; familyId: string; at: string; refused: boolean },
): Promise<void> {
  await db
    .insertInto('reveal_attempts')
    .values({
      id: randomUUID(),
      user_id: row.userId,
      family_id: row.familyId,
      at: row.at,
      refused: row.refused ? 1 : 0,
    })
    .execute();
}

/** Attempts older than what any window looks at are dropped as the account makes new ones. */
export async function pruneAttempts(db: Executor, userId: string, before: string): Promise<void> {
  await db.deleteFrom('reveal_attempts').where('user_id', '=', userId).where('at', '<', before).execute();
}
