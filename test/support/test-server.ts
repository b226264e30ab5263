import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { notificationJobs } from '../../server/services.js';
import { startScheduler } from '../../server/platform/jobs.js';
import { prepareDatabase } from '../../server/prepare-database.js';
import { loadConfig } from '../../server/platform/config.js';
import { registerWebApp } from '../../server/platform/web-static.js';
import { seedDemoApprovals } from '../../server/demo/demo-approvals.js';
import { seedDemoContacts } from '../../server/demo/demo-contacts.js';
import { seedDemoFamilies } from '../../server/demo/demo-families.js';
import { seedDemoDuplicate } from '../../server/demo/demo-duplicates.js';
import { seedDemoRevealRequests } from '../../server/demo/demo-reveal-requests.js';
import { seedDemoResponses } from '../../server/demo/demo-responses.js';
import { seedDemoPeople } from '../../server/demo/demo-people.js';
import { seedDemoNotices } from '../../server/demo/demo-notices.js';
import { seedDemoSampleSurvey } from '../../server/demo/demo-sample-survey.js';
import { seedDemoSupervision } from '../../server/demo/demo-supervision.js';
import { seedDemoAccountability } from '../../server/demo/demo-accountability.js';
import { seedDemoAssessments } from '../../server/demo/demo-assessments.js';
import { seedDemoCommendations } from '../../server/demo/demo-commendations.js';
import { seedDemoAccounts } from '../../server/demo/seed-demo.js';
import { seedDemoStatReturns } from '../../server/demo/demo-stat-returns.js';
import { testCrypto } from './test-app.js';

export interface TestServerOptions {
  /** Configuration read as `npm start` reads the environment (e.g. WECOM_WEBHOOK_BASE, WEBHOOK_ALLOWED_HOSTS). */
  env?: Record<string, string>;
  /** Run the scheduler's notification and outbox jobs, as server/main.ts does (the notice journey's robot push). */
  jobs?: boolean;
  /** Another build than web/dist (the benchmark's), served as the product serves its own. */
  webRoot?: string;
  /**
   * Also the demo statistical returns, as `npm start` seeds them (server/demo/demo-stat-returns.ts). The other
   * journeys start with none: they compile their own returns and import packages of the demo county.
   */
  statReturns?: boolean;
}

export interface TestServer {
  url: string;
  demoPassword: string;
  close(): Promise<void>;
}

const DEMO_PASSWORD = 'E2e-Demo-Pass1!';
const DATABASE_FILE = 'guanhuai.db';

/** The demo accounts and the demo county's data, as `npm start` seeds them. */
async function seedDemo(app: Awaited<ReturnType<typeof buildApp>>, now: Date): Promise<void> {
  const { platform, services } = app;
  await seedDemoAccounts(platform.db, DEMO_PASSWORD, now);
  await seedDemoFamilies(platform, services.families);
  await seedDemoDuplicate(platform, services.families);
  await seedDemoContacts(platform, services, now);
  await seedDemoResponses(platform, services, now);
  await seedDemoPeople(platform, services, now);
  await seedDemoNotices(platform, services, now);
  await seedDemoSampleSurvey(platform, services, now);
  await seedDemoSupervision(platform, services, now);
  await seedDemoAccountability(platform, services, now);
  await seedDemoCommendations(platform, services, now);
  await seedDemoAssessments(platform, services, now);
  await seedDemoApprovals(platform.db, now);
  await seedDemoRevealRequests(platform, now);
}

function configFor(dir: string, options: TestServerOptions) {
  return {
    // The audit anchor in the server's own directory: the default (beside DATA_DIR, here the shared temporary
    // directory) would mix every test server's checkpoints in one file, and a drill would check the wrong one.
    ...loadConfig({ AUDIT_ANCHOR_FILE: path.join(dir, 'anchor', 'audit-anchor.log'), ...options.env, DATA_DIR: dir }),
    databaseUrl: `sqlite:${path.join(dir, DATABASE_FILE)}`,
    isDemo: true,
    serveWeb: options.webRoot === undefined,
    cookieSecure: false,
  };
}

/**
 * A seeded demo data directory (the database and what the app keeps beside it, such as the audit anchors),
 * made once per browser-journey run so each journey file copies it instead of seeding for ten seconds.
 */
export async function makeDemoTemplate(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-e2e-template-'));
  const config = configFor(dir, {});
  const { database } = await prepareDatabase(config.databaseUrl, ['42']);
  const app = await buildApp({ config, database, crypto: testCrypto() });
  await seedDemo(app, new Date());
  await app.close();
  await database.close();
  return dir;
}

/** Set by the journeys' global setup (e2e/support/global-setup.ts) to the directory makeDemoTemplate made. */
export const DEMO_TEMPLATE_ENV = 'GUANHUAI_E2E_DEMO_TEMPLATE';

/**
 * The whole platform as `npm start` makes it — the Hubei tree, the demo accounts and the demo county's
 * data, the built web app (web/dist, or `webRoot`) — on a fresh temporary SQLite database, listening on a free port of
 * 127.0.0.1. For the browser journeys. The demo data is copied from the run's template when there is one (the
 * seeds read no configuration, so a journey's own `env` does not change them); seeded afresh otherwise.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-e2e-'));
  const template = process.env[DEMO_TEMPLATE_ENV];
  const fromTemplate = template !== undefined && fs.existsSync(template);
  if (fromTemplate) fs.cpSync(template, dir, { recursive: true });
  const config = configFor(dir, options);
  const { database } = await prepareDatabase(config.databaseUrl, ['42']);
  const app = await buildApp({ config, database, crypto: testCrypto() });
  // Another build than web/dist (the benchmark's), served exactly as the product serves its own.
  if (options.webRoot !== undefined) await registerWebApp(app, options.webRoot);
  if (!fromTemplate) await seedDemo(app, new Date());
  if (options.statReturns) await seedDemoStatReturns(app.platform, app.services, new Date());
  const stopJobs = options.jobs ? startScheduler(app.platform, notificationJobs(app.services)) : () => undefined;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    demoPassword: DEMO_PASSWORD,
    async close() {
      stopJobs();
      await app.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
