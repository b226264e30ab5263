import type { Executor } from '../../platform/db/database.js';

/** The active contact records of a user account: whose families' work the user's todos list. */
export function activeContactsOfUser(db: Executor, userId: string) {
  return db.selectFrom('contacts').select('id').where('user_id', '=', userId).where('is_active', '=', 1).execute();
}
