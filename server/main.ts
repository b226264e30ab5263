import { ROLE_LABELS } from '../common/roles.js';
import { buildApp, loggerOptions } from './app.js';
import { createLoginThrottle } from './modules/users/login-throttle.js';
import { cryptoFromConfig, prepareDatabase } from './platform/bootstrap.js';
import { loadConfig } from './platform/config.js';
import { dialectOf } from './platform/db/database.js';
import { anchorAtShutdown, startScheduler } from './platform/jobs.js';
import { ensurePrivateDir } from './platform/private-files.js';
import { seedDemoApprovals } from './platform/demo/demo-approvals.js';
import { notificationJobs } from './services.js';
import { seedDemoContacts } from './platform/demo/demo-contacts.js';
import { seedDemoFamilies } from './platform/demo/demo-families.js';
import { seedDemoDuplicate } from './platform/demo/demo-duplicates.js';
import { seedDemoResponses } from './platform/demo/demo-responses.js';
import { seedDemoPeople } from './platform/demo/demo-people.js';
import { seedDemoStatReturns } from './platform/demo/demo-stat-returns.js';
import { seedDemoNotices } from './platform/demo/demo-notices.js';
import { demoPassword, demoPasswordFile, listDemoLogins, seedDemoAccounts } from './platform/demo/seed-demo.js';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  // DATA_DIR holds the SQLite files, the demo key and the demo password: owner-only (issue 10 item 15).
  if (dialectOf(config.databaseUrl) === 'sqlite' || config.isDemo) ensurePrivateDir(config.dataDir);
  const crypto = cryptoFromConfig(config);
  // Demo seeding is part of the first start: it runs under the startup lock, so a second instance started at
  // the same moment waits for it rather than serving a half-seeded database.
  let password: string | undefined;
  const {
    database,
    regionsLoaded,
    started: app,
  } = await prepareDatabase(config.databaseUrl, config.regionProvinces, async ({ database, isNewDatabase }) => {
    const app = await buildApp({
      config,
      database,
      crypto,
      logger: loggerOptions(config.logLevel),
      // The checkpoint also goes to the process log (journald/syslog under systemd): a second copy off the box.
      onAuditCheckpoint: (line) => app.log.info({ auditCheckpoint: JSON.parse(line) as unknown }, 'audit checkpoint'),
    });
    if (config.isDemo) {
      password = demoPassword(config.dataDir, config.demoPassword);
      if (isNewDatabase) {
        await seedDemoAccounts(database.db, password, new Date());
        await seedDemoFamilies(app.platform, app.services.families);
        await seedDemoDuplicate(app.platform, app.services.families);
        await seedDemoContacts(app.platform, app.services, new Date());
        await seedDemoResponses(app.platform, app.services, new Date());
        await seedDemoPeople(app.platform, app.services, new Date());
        await seedDemoStatReturns(app.platform, app.services, new Date());
        await seedDemoNotices(app.platform, app.services, new Date());
        await seedDemoApprovals(database.db, new Date());
      }
    }
    return app;
  });

  const loginThrottle = createLoginThrottle(app.platform);
  const stopJobs = startScheduler(app.platform, [
    { name: 'escalate-events', everyMs: 60_000, run: (now) => app.services.events.escalateOverdue(now) },
    // Login-throttle rows nobody failed on for a day: a spray of guessed names cannot grow the table forever.
    { name: 'prune-login-throttle', everyMs: 3_600_000, run: () => loginThrottle.prune(app.platform.db) },
    ...notificationJobs(app.services),
  ]);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    // app.close() stops accepting, lets in-flight requests finish, then the database closes (SQLite checkpoints its WAL).
    stopJobs();
    await app.close();
    await anchorAtShutdown(app.platform).catch((err: unknown) =>
      app.log.error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'audit checkpoint failed'),
    );
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
    // The banner goes to stdout, never through the logger; and the password only to a terminal a person
    // watches — when stdout is a file or a log collector, it names the owner-only file instead.
    const shown = process.stdout.isTTY
      ? password
      : config.demoPassword
        ? '（DEMO_PASSWORD 所设）'
        : `见 ${demoPasswordFile(config.dataDir)}（仅本机所有者可读）`;
    lines.push('', '演示模式：以下演示账号的密码均为 ' + shown);
    for (const login of await listDemoLogins(database.db))
      lines.push(`  ${login.username.padEnd(20)} ${ROLE_LABELS[login.role]}  ${login.regionName}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
