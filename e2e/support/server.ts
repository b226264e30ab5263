// The e2e journeys run against the real app on a fresh demo database, serving the built web/dist.
// test/support/test-server.ts is being written in parallel; until it lands, it is loaded by a path the
// type-checker does not follow, so `tsc` stays green. Replace with a static re-export once it exists.
export interface TestServer {
  url: string;
  demoPassword: string;
  close(): Promise<void>;
}

const TEST_SERVER_MODULE = '../../test/support/test-server.js';

export async function startTestServer(): Promise<TestServer> {
  let mod: { startTestServer(): Promise<TestServer> };
  try {
    mod = (await import(/* @vite-ignore */ TEST_SERVER_MODULE)) as typeof mod;
  } catch (err) {
    throw new Error(`e2e needs test/support/test-server.ts (startTestServer): ${String(err)}`);
  }
  return mod.startTestServer();
}
