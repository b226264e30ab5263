// The 三员 on the server's own command line (no default accounts exist outside demo mode):
//   ADMIN_PASSWORD='…' npm run admin:create -- --username admin --name 张三 [--region 420000000000]
//   ADMIN_PASSWORD='…' npm run admin:create -- --role security_admin --username sec --name 李四
//   ADMIN_PASSWORD='…' npm run admin:reset -- --username sec
// The very first account is the operator's own and is ready to use. Every later one (the security
// administrator, the auditor) must be claimed by its owner at first login: own password, and the second
// factor where MFA_REQUIRED_ROLES asks for it. --reset gives a 三员 account a new password to claim, and clears
// its locks, its second factor and any pending change: the way round a 三员 member who is locked out or has
// lost their phone, without another 三员 acting alone. Every step is audited (actor "cli").
// Without ADMIN_PASSWORD the password is read from standard input (one line).
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { checkPasswordPolicy } from '../server/platform/auth/passwords.js';
import { prepareDatabase } from '../server/prepare-database.js';
import { loadConfig } from '../server/platform/config.js';
import { findUserByUsername } from '../server/modules/users/users.repository.js';
import { insertAccount } from '../server/modules/users/users.service.js';
import { createLoginThrottle } from '../server/modules/users/login-throttle.js';
import { clearMfa } from '../server/modules/users/mfa.repository.js';
import { SEPARATED_ADMIN_ROLES, type Role } from '../common/roles.js';
import { hashPassword, PASSWORD_MUST_CHANGE } from '../server/platform/auth/passwords.js';
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { cryptoFromConfig } from '../server/platform/bootstrap.js';
import { withDatabaseKeyVersions } from '../server/platform/rekey/key-versions.js';
import { systemClock } from '../server/platform/clock.js';

async function readPassword(): Promise<string> {
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write('密码: ');
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string', default: '420000000000' },
    role: { type: 'string', default: 'sysadmin' },
    reset: { type: 'boolean', default: false },
  },
});
const role = values.role as Role;
if (!values.username || (!values.reset && !values.name) || !SEPARATED_ADMIN_ROLES.includes(role)) {
  console.error(
    '用法: npm run admin:create -- --username <用户名> --name <姓名> [--role sysadmin|security_admin|auditor] [--region <12位区划代码>]\n' +
      '      npm run admin:reset -- --username <用户名>',
  );
  process.exit(2);
}
const config = loadConfig();
const password = await readPassword();
const problem = checkPasswordPolicy(password, config.password, values.username);
if (problem) {
  console.error(`密码不符合要求：${problem.message}`);
  process.exit(2);
}
const { database } = await prepareDatabase(config.databaseUrl, config.regionProvinces);
// At the database's key version (npm run rekey), so the audit rows written here carry it.
const crypto = await withDatabaseKeyVersions(database.db, cryptoFromConfig(config));
try {
  const audit = new AuditLog(crypto, database.dialect, systemClock);
  if (values.reset) {
    const row = await findUserByUsername(database.db, values.username);
    if (!row || !SEPARATED_ADMIN_ROLES.includes(row.role as Role))
      throw new Error(`用户名 ${values.username} 不存在或不是三员账户（其他账户由系统管理员在平台内处理）`);
    const hash = await hashPassword(password);
    const throttle = createLoginThrottle({ config, clock: systemClock, crypto });
    await database.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({
          password_hash: hash,
          password_changed_at: PASSWORD_MUST_CHANGE,
          failed_attempts: 0,
          locked_until: null,
          pending_change: null,
          pending_password_hash: null,
          updated_at: new Date().toISOString(),
          version: row.version + 1,
        })
        .where('id', '=', row.id)
        .execute();
      await clearMfa(trx, row.id);
      await throttle.clearUser(trx, row.username);
      await throttle.clearMfa(trx, row.id);
      await trx.deleteFrom('sessions').where('user_id', '=', row.id).execute();
      await audit.record(
        trx,
        { username: 'cli' },
        {
          action: 'user.reset',
          targetType: 'user',
          targetId: row.id,
          changes: { password: '***', mfa: 'cleared', via: 'cli' },
        },
      );
    });
    console.log(`已重置 ${values.username}：新密码须本人首次登录时修改，动态验证码须重新绑定`);
  } else {
    const region = await database.db
      .selectFrom('regions')
      .select('code')
      .where('code', '=', values.region!)
      .executeTakeFirst();
    if (!region) throw new Error(`区划 ${values.region} 不存在`);
    if (await findUserByUsername(database.db, values.username)) throw new Error(`用户名 ${values.username} 已存在`);
    const isFirst = (await database.db.selectFrom('users').select('id').limit(1).execute()).length === 0;
    await database.db.transaction().execute(async (trx) => {
      const id = await insertAccount(
        trx,
        {
          username: values.username!,
          displayName: values.name!,
          password,
          role,
          regionCode: values.region!,
          mustChangePassword: !isFirst,
        },
        new Date(),
      );
      await audit.record(
        trx,
        { username: 'cli' },
        {
          action: 'user.create',
          targetType: 'user',
          targetId: id,
          changes: { username: values.username!, role, via: 'cli' },
        },
      );
    });
    console.log(
      `已创建${role === 'sysadmin' ? '系统管理员' : role === 'security_admin' ? '安全管理员' : '安全审计员'} ${values.username}（${values.region}）` +
        (isFirst ? '' : '：本人首次登录须修改密码'),
    );
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await database.close();
}
