import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/platform/db/database.js';
import { useAppWithTree } from '../support/contact-team.js';
import { TEST_DIALECT } from '../support/test-db.js';

const app = useAppWithTree();

describe('platform', () => {
  it('reports health with the database in use', async () => {
    const res = await app.t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.json()).toMatchObject({ status: 'ok', database: TEST_DIALECT, demo: false });
  });

  it('sends strict security headers', async () => {
    const res = await app.t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('publishes OpenAPI 3.1 describing the routes', async () => {
    const res = await app.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/regions/{code}', '/api/v1/users']),
    );
  });

  it('answers malformed JSON with VALIDATION_FAILED, not a 500', async () => {
    const res = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "a",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
  });

  it('answers an oversized body with 413', async () => {
    const res = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'a', password: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('names the field of a validation failure', async () => {
    const res = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'a'.repeat(500), password: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('username');
  });

  it('rejects unknown fields instead of storing them', async () => {
    const res = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'a', password: 'x', __proto__: { isAdmin: true }, role: 'sysadmin' },
    });
    expect(res.statusCode).toBe(400);
  });

  it('answers an unknown API path with a 404 error body', async () => {
    const s = await app.t.signIn('county_staff', app.tree.county);
    const res = await s.get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('treats SQL and script fragments as plain text', async () => {
    const res = await app.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: "x' or '1'='1", password: '<script>alert(1)</script>' },
    });
    expect(res.statusCode).toBe(401);
    const res2 = await app.t.app.inject({ method: 'GET', url: "/api/v1/regions/4201'%20or%201=1--" });
    expect([400, 401]).toContain(res2.statusCode);
  });
});

describe('database connections', () => {
  it.runIf(TEST_DIALECT === 'postgres')(
    'PostgreSQL: an idle connection ended by the server neither crashes the process nor breaks the next query',
    async () => {
      const handle = openDatabase(process.env.TEST_DATABASE_URL!);
      try {
        const { pid } = await sql<{ pid: number }>`select pg_backend_pid() as pid`
          .execute(handle.db)
          .then((r) => r.rows[0]);
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await admin.end();
        // The pool's idle client gets the server's 57P01 now; without a listener vitest reports it unhandled.
        await new Promise((resolve) => setTimeout(resolve, 200));
        const again = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
        expect(again.rows[0].pid).not.toBe(pid);
      } finally {
        await handle.close();
      }
    },
  );
});
