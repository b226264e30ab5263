import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { prepareDatabase } from '../../server/platform/bootstrap.js';
import { loadConfig } from '../../server/platform/config.js';
import { seedDemoApprovals } from '../../server/platform/demo/demo-approvals.js';
import { seedDemoContacts } from '../../server/platform/demo/demo-contacts.js';
import { seedDemoFamilies } from '../../server/platform/demo/demo-families.js';
import { seedDemoDuplicate } from '../../server/platform/demo/demo-duplicates.js';
import { seedDemoResponses } from '../../server/platform/demo/demo-responses.js';
import { seedDemoPeople } from '../../server/platform/demo/demo-people.js';
import { seedDemoNotices } from '../../server/platform/demo/demo-notices.js';
import { seedDemoAccounts } from '../../server/platform/demo/seed-demo.js';
import { testCrypto } from './test-app.js';

export interface TestServer {
  url: string;
  demoPassword: string;
  close(): Promise<void>;
}

/**
 * The whole platform as `npm start` makes it — the Hubei tree, the demo accounts and the demo county's
 * data, the built web app (web/dist) — on a fresh temporary SQLite database, listening on a free port of
 * 127.0.0.1. For the browser journeys.
 */
export async function startTestServer(): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guanhuai-e2e-'));
  const demoPassword = 'E2e-Demo-Pass1!';
  const databaseUrl = `sqlite:${path.join(dir, 'guanhuai.db')}`;
  const { database } = await prepareDatabase(databaseUrl, ['42']);
  const config = { ...loadConfig({ DATA_DIR: dir }), databaseUrl, isDemo: true, serveWeb: true, cookieSecure: false };
  const app = await buildApp({ config, database, crypto: testCrypto() });
  const now = new Date();
  await seedDemoAccounts(database.db, demoPassword, now);
  await seedDemoFamilies(app.platform, app.services.families);
  await seedDemoDuplicate(app.platform, app.services.families);
  await seedDemoContacts(app.platform, app.services, now);
  await seedDemoResponses(app.platform, app.services, now);
  await seedDemoPeople(app.platform, app.services, now);
  await seedDemoNotices(app.platform, app.services, now);
  await seedDemoApprovals(database.db, now);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    demoPassword,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
