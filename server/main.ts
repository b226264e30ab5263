import { ROLE_LABELS } from '../common/roles.js';
import { buildApp, loggerOptions } from './app.js';
import { cryptoFromConfig, prepareDatabase } from './platform/bootstrap.js';
import { loadConfig } from './platform/config.js';
import { startScheduler } from './platform/jobs.js';
import { seedDemoContacts } from './platform/demo/demo-contacts.js';
import { seedDemoFamilies } from './platform/demo/demo-families.js';
import { seedDemoResponses } from './platform/demo/demo-responses.js';
import { demoPassword, listDemoLogins, seedDemoAccounts } from './platform/demo/seed-demo.js';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const crypto = cryptoFromConfig(config);
  const { database, isNewDatabase, regionsLoaded } = await prepareDatabase(config.databaseUrl, config.regionProvinces);
  const app = await buildApp({ config, database, crypto, logger: loggerOptions(config.logLevel) });

  let password: string | undefined;
  if (config.isDemo) {
    password = demoPassword(config.dataDir, config.demoPassword);
    if (isNewDatabase) {
      await seedDemoAccounts(database.db, password, new Date());
      await seedDemoFamilies(app.platform, app.services.families);
      await seedDemoContacts(app.platform, app.services, new Date());
      await seedDemoResponses(app.platform, app.services, new Date());
    }
  }

  const stopJobs = startScheduler(app.platform, [
    { name: 'escalate-events', everyMs: 60_000, run: (now) => app.services.events.escalateOverdue(now) },
  ]);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    // app.close() stops accepting, lets in-flight requests finish, then the database closes (SQLite checkpoints its WAL).
    stopJobs();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  const lines = [
    '',
    '特殊家庭扶助关怀平台 Guanhuai',
    `  地址      http://${config.host}:${config.port}`,
    `  数据库    ${database.dialect}${database.dialect === 'sqlite' ? ` (${config.databaseUrl.replace(/^sqlite:/, '')})` : ''}`,
    `  区划      ${regionsLoaded > 0 ? `新载入 ${regionsLoaded} 条` : '已载入'}`,
    `  启动耗时  ${Date.now() - startedAt} ms`,
  ];
  if (config.isDemo && password) {
    lines.push('', '演示模式：以下演示账号的密码均为 ' + password);
    for (const login of await listDemoLogins(database.db))
      lines.push(`  ${login.username.padEnd(20)} ${ROLE_LABELS[login.role]}  ${login.regionName}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
