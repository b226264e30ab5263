// The e2e journeys run against the real app on a fresh demo database, serving the built web/dist.
export { startTestServer, type TestServer, type TestServerOptions } from '../../test/support/test-server.js';
