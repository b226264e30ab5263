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
import { seedDemoCommendations } from '../../server/demo/demo-commendations.js';
import { seedDemoAccounts } from '../../server/demo/seed-demo.js';
import { testCrypto } from './test-app.js';

export interface TestServerOptions {
  /** Configuration read as `npm start` reads the environment (e.g. WECOM_WEBHOOK_BASE, WEBHOOK_ALLOWED_HOSTS). */
  env?: Record<string, string>;
  /** Run the scheduler's notification and outbox jobs, as server/main.ts does (the notice journey's robot push). */
  jobs?: boolean;
  /** Another build than web/dist (the benchmark's), served as the product serves its own. */
  webRoot?: string;
}

export interface TestServer {
  url: string;
  demoPassword: string;
  close(): Promise<void>;
}

/**
 * The whole platform as `npm start` makes it — the Hubei tree, the demo accounts and the demo county's
 * data, the built web app (web/dist, or `webRoot`) — on a fresh temporary SQLite database, listening on a free port of
 * 127.0.0.1. For the browser journeys.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-e2e-'));
  const demoPassword = 'E2e-Demo-Pass1!';
  const databaseUrl = `sqlite:${path.join(dir, 'guanhuai.db')}`;
  const { database } = await prepareDatabase(databaseUrl, ['42']);
  const config = {
    ...loadConfig({ ...options.env, DATA_DIR: dir }),
    databaseUrl,
    isDemo: true,
    serveWeb: options.webRoot === undefined,
    cookieSecure: false,
  };
  const app = await buildApp({ config, database, crypto: testCrypto() });
  // Another build than web/dist (the benchmark's), served exactly as the product serves its own.
  if (options.webRoot !== undefined) await registerWebApp(app, options.webRoot);
  const now = new Date();
  await seedDemoAccounts(database.db, demoPassword, now);
  await seedDemoFamilies(app.platform, app.services.families);
  await seedDemoDuplicate(app.platform, app.services.families);
  await seedDemoContacts(app.platform, app.services, now);
  await seedDemoResponses(app.platform, app.services, now);
  await seedDemoPeople(app.platform, app.services, now);
  await seedDemoNotices(app.platform, app.services, now);
  await seedDemoSampleSurvey(app.platform, app.services, now);
  await seedDemoSupervision(app.platform, app.services, now);
  await seedDemoAccountability(app.platform, app.services, now);
  await seedDemoCommendations(app.platform, app.services, now);
  await seedDemoApprovals(database.db, now);
  await seedDemoRevealRequests(app.platform, now);
  const stopJobs = options.jobs ? startScheduler(app.platform, notificationJobs(app.services)) : () => undefined;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    demoPassword,
    async close() {
      stopJobs();
      await app.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
