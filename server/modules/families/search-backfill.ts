import type { Db } from '../../platform/db/database.js';
import type { CryptoProvider } from '../../platform/crypto/crypto-provider.js';
import { idNumberTailIndex } from '../../platform/crypto/sealed-fields.js';
import * as repo from './families.repository.js';

/**
 * Fills the ID number tail index (migration 0019) of members stored before it: the index is keyed, the key
 * lives outside the database, so the migration cannot. Runs at every start under the startup lock; a row
 * already filled is never read again, so after the first start this is one empty indexed query.
 */
export async function backfillIdNumberTails(db: Db, crypto: CryptoProvider): Promise<number> {
  let filled = 0;
  for (;;) {
    const batch = await repo.membersWithoutTail(db, 1000);
    if (batch.length === 0) return filled;
    await db.transaction().execute(async (trx) => {
      for (const m of batch) {
        const idNumber = crypto.decrypt(m.id_number_enc, `family_members:${m.id}:id_number`);
        await repo.setMemberTail(trx, m.id, idNumberTailIndex(crypto, idNumber));
      }
    });
    filled += batch.length;
  }
}
