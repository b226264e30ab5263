import { ROLE_LABELS } from '../common/roles.js';
import { buildApp, loggerOptions } from './app.js';
import { backfillIdNumberTails } from './modules/families/search-backfill.js';
import { createLoginThrottle } from './modules/users/login-throttle.js';
import { cryptoFromConfig } from './platform/bootstrap.js';
import { prepareDatabase } from './prepare-database.js';
import { assertServedSafely, loadConfig } from './platform/config.js';
import { backupJobs } from './platform/backup/schedule.js';
import { startMetricsServer } from './platform/metrics.js';
import { dialectOf } from './platform/db/database.js';
import { holdServingLock } from './platform/db/serving-lock.js';
import { anchorAtShutdown, startScheduler, type Job } from './platform/jobs.js';
import { flushSecurityEvents } from './platform/audit/security-events.js';
import {
  clusterLog,
  isClusterWorker,
  isSchedulerProcess,
  runPrimary,
  shareMetrics,
  workerCount,
} from './platform/cluster.js';
import cluster from 'node:cluster';
import { ensurePrivateDir } from './platform/private-files.js';
import { seedDemoApprovals } from './demo/demo-approvals.js';
import { notificationJobs } from './services.js';
import { seedDemoContacts } from './demo/demo-contacts.js';
import { seedDemoFamilies } from './demo/demo-families.js';
import { seedDemoDuplicate } from './demo/demo-duplicates.js';
import { seedDemoRevealRequests } from './demo/demo-reveal-requests.js';
import { seedDemoResponses } from './demo/demo-responses.js';
import { seedDemoPeople } from './demo/demo-people.js';
import { seedDemoStatReturns } from './demo/demo-stat-returns.js';
import { seedDemoNotices } from './demo/demo-notices.js';
import { seedDemoSampleSurvey } from './demo/demo-sample-survey.js';
import { seedDemoSupervision } from './demo/demo-supervision.js';
import { seedDemoAccountability } from './demo/demo-accountability.js';
import { seedDemoAssessments } from './demo/demo-assessments.js';
import { seedDemoCommendations } from './demo/demo-commendations.js';
import { demoPassword, demoPasswordFile, listDemoLogins, seedDemoAccounts } from './demo/seed-demo.js';

async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  assertServedSafely(config);
  if (cluster.isPrimary) {
    // WEB_CONCURRENCY=N (N > 1): this process only forks, replaces and drains N workers (platform/cluster.ts).
    const { workers, warning } = workerCount(process.env);
    if (workers > 1) {
      const log = clusterLog();
      if (warning) log.warn({ asked: process.env.WEB_CONCURRENCY, workers }, warning);
      runPrimary(workers, log, config.metrics.port);
      return;
    }
    if (warning) process.stderr.write(`${warning}\n`);
  }
  // In a single process, and in the one worker of a cluster that has the role: the scheduled jobs, the audit
  // anchor's checkpoints, the metrics port and the banner.
  const scheduler = isSchedulerProcess();
  // DATA_DIR holds the SQLite files, the demo key and the demo password: owner-only (issue 10 item 15).
  if (dialectOf(config.databaseUrl) === 'sqlite' || config.isDemo) ensurePrivateDir(config.dataDir);
  const crypto = cryptoFromConfig(config);
  // Held shared until this process exits: `npm run rekey` refuses while any instance holds it, and an instance
  // started during a rotation waits here for it to end (then starts only with the new key: buildApp checks).
  const releaseServing = await holdServingLock(config.databaseUrl);
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
    const tails = await backfillIdNumberTails(database.db, crypto);
    if (tails) app.log.info({ members: tails }, 'ID number tail index filled for members stored before it');
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
        await seedDemoSampleSurvey(app.platform, app.services, new Date());
        await seedDemoSupervision(app.platform, app.services, new Date());
        await seedDemoAccountability(app.platform, app.services, new Date());
        await seedDemoCommendations(app.platform, app.services, new Date());
        await seedDemoAssessments(app.platform, app.services, new Date());
        await seedDemoApprovals(database.db, new Date());
        await seedDemoRevealRequests(app.platform, new Date());
      }
    }
    return app;
  });

  const loginThrottle = createLoginThrottle(app.platform);
  const jobs: Job[] = [
    { name: 'escalate-events', everyMs: 60_000, run: (now) => app.services.events.escalateOverdue(now) },
    // Login-throttle rows nobody failed on for a day: a spray of guessed names cannot grow the table forever.
    { name: 'prune-login-throttle', everyMs: 3_600_000, run: () => loginThrottle.prune(app.platform.db) },
    ...notificationJobs(app.services),
    // BACKUP_INTERVAL_HOURS / DRILL_INTERVAL_HOURS: once per interval however many instances run.
    ...backupJobs(app.platform),
  ];
  // A worker that is not the scheduler still seals its own audit rows after their commits (PostgreSQL).
  const stopJobs = scheduler ? startScheduler(app.platform, jobs) : app.platform.audit.startSealing(app.platform.db);
  if (isClusterWorker()) shareMetrics(app.metrics.registry);
  const metricsServer =
    config.metrics.port !== null && !isClusterWorker()
      ? await startMetricsServer(app.metrics, config.metrics.port)
      : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    // app.close() stops accepting, lets in-flight requests finish, then the database closes (SQLite checkpoints its WAL).
    stopJobs();
    metricsServer?.close();
    await app.close();
    await (
      scheduler ? anchorAtShutdown(app.platform) : flushSecurityEvents(app.platform, app.platform.clock.now(), true)
    ).catch((err: unknown) =>
      app.log.error({ err: { message: err instanceof Error ? err.message : String(err) } }, 'audit checkpoint failed'),
    );
    await database.close();
    await releaseServing();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  if (!scheduler) return;
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
