// Creates the first sysadmin of a production installation (no default accounts exist outside demo mode).
//   ADMIN_PASSWORD='…' npm run admin:create -- --username admin --name 张三 [--region 420000000000]
// Without ADMIN_PASSWORD the password is read from standard input (one line).
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { checkPasswordPolicy } from '../server/platform/auth/passwords.js';
import { prepareDatabase } from '../server/platform/bootstrap.js';
import { loadConfig } from '../server/platform/config.js';
import { findUserByUsername } from '../server/modules/users/users.repository.js';
import { insertAccount } from '../server/modules/users/users.service.js';
import { AuditLog } from '../server/platform/audit/audit-log.js';
import { cryptoFromConfig } from '../server/platform/bootstrap.js';
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
  },
});
if (!values.username || !values.name) {
  console.error('用法: npm run admin:create -- --username <用户名> --name <姓名> [--region <12位区划代码>]');
  process.exit(2);
}
const config = loadConfig();
const password = await readPassword();
const problem = checkPasswordPolicy(password, config.password, values.username);
if (problem) {
  console.error(`密码不符合要求：${problem.message}`);
  process.exit(2);
}
const crypto = cryptoFromConfig(config);
const { database } = await prepareDatabase(config.databaseUrl, config.regionProvinces);
try {
  const region = await database.db
    .selectFrom('regions')
    .select('code')
    .where('code', '=', values.region!)
    .executeTakeFirst();
  if (!region) throw new Error(`区划 ${values.region} 不存在`);
  if (await findUserByUsername(database.db, values.username)) throw new Error(`用户名 ${values.username} 已存在`);
  const audit = new AuditLog(crypto, database.dialect, systemClock);
  await database.db.transaction().execute(async (trx) => {
    const id = await insertAccount(
      trx,
      { username: values.username!, displayName: values.name!, password, role: 'sysadmin', regionCode: values.region! },
      new Date(),
    );
    await audit.record(
      trx,
      { username: 'cli' },
      {
        action: 'user.create',
        targetType: 'user',
        targetId: id,
        changes: { username: values.username, role: 'sysadmin', via: 'cli' },
      },
    );
  });
  console.log(`已创建系统管理员 ${values.username}（${values.region}）`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await database.close();
}
