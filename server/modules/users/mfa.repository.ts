import type { Executor } from '../../platform/db/database.js';

export async function insertChallenge(
  db: Executor,
  row: { idHash: string; userId: string; createdAt: string; ip: string | null },
): Promise<void> {
  // One open challenge per account: a new password step replaces the previous one.
  await db.deleteFrom('mfa_challenges').where('user_id', '=', row.userId).execute();
  await db
    .insertInto('mfa_challenges')
    .values({ id_hash: row.idHash, user_id: row.userId, created_at: row.createdAt, attempts: 0, ip: row.ip })
    .execute();
}

export function findChallenge(db: Executor, idHash: string) {
  return db.selectFrom('mfa_challenges').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

export async function countChallengeAttempt(db: Executor, idHash: string): Promise<void> {
  await db
    .updateTable('mfa_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteChallenges(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
}

export async function setPendingSecret(db: Executor, userId: string, sealed: string | null): Promise<void> {
  await db.updateTable('users').set({ mfa_pending_secret: sealed }).where('id', '=', userId).execute();
}

export async function enableMfa(
  db: Executor,
  userId: string,
  set: { sealed: string; at: string; step: number; codeHashes: string[] },
): Promise<void> {
  await db
    .updateTable('users')
    .set({ mfa_secret: set.sealed, mfa_pending_secret: null, mfa_enabled_at: set.at, mfa_last_step: set.step })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('mfa_recovery_codes')
    .values(set.codeHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
    .execute();
}

export async function setLastStep(db: Executor, userId: string, step: number): Promise<boolean> {
  // Conditional: two instances accepting the same code at once cannot both win.
  const result = await db
    .updateTable('users')
    .set({ mfa_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks an unused recovery code used; false when it is unknown or spent. */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('mfa_recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('mfa_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function clearMfa(db: Executor, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ mfa_secret: null, mfa_pending_secret: null, mfa_enabled_at: null, mfa_last_step: null })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await db.deleteFrom('mfa_challenges').where('user_id', '=', userId).execute();
}
