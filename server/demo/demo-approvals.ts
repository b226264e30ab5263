import { randomBytes } from 'node:crypto';
import type { PendingChange } from '../../common/schemas/users.js';
import { insertAccount } from '../modules/users/users.service.js';
import type { Db } from '../platform/db/database.js';
import { DEMO_COUNTY } from './seed-demo.js';

/**
 * One account the demo system administrator asked for, waiting on 安全管理 for demo_security's approval
 * (三员 separation). Its password is random: the demo shows the approval, not a login.
 */
export async function seedDemoApprovals(db: Db, now: Date): Promise<void> {
  const sysadmin = await db.selectFrom('users').select('id').where('username', '=', 'demo_sysadmin').executeTakeFirst();
  if (!sysadmin) return;
  await db.transaction().execute(async (trx) => {
    const id = await insertAccount(
      trx,
      {
        username: 'zx_new_cadre',
        displayName: '钟祥新任干部',
        password: `${randomBytes(12).toString('base64url')}-Aa1`,
        role: 'county_staff',
        regionCode: DEMO_COUNTY,
        mustChangePassword: true,
      },
      now,
    );
    const change: PendingChange = {
      kind: 'create',
      requestedBy: sysadmin.id,
      requestedAt: now.toISOString(),
      approverRole: 'security_admin',
    };
    await trx
      .updateTable('users')
      .set({ pending_change: JSON.stringify(change) })
      .where('id', '=', id)
      .execute();
  });
}
