import { describe, expect, it } from 'vitest';
import { buildUser, TEST_PASSWORD } from '../support/factories.js';
import { useAppWithTree } from '../support/contact-team.js';

const app = useAppWithTree();

describe('GET /auth/session (issue 11 item 10)', () => {
  it('answers null without a session (no 401 for the login page to log), the session with one', async () => {
    const anonymous = await app.t.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ data: null });
    const forged = await app.t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: 'gh_session=nope' },
    });
    expect(forged.json()).toEqual({ data: null });
    // /auth/me keeps its 401.
    expect((await app.t.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);

    const user = await buildUser(app.t.db, 'township_staff', app.tree.township);
    const session = await app.t.login({ username: user.username, password: TEST_PASSWORD });
    const me = await session.get('/api/v1/auth/session');
    expect(me.statusCode).toBe(200);
    expect(me.json().data.user).toMatchObject({ username: user.username, role: 'township_staff' });
    expect(me.json().data.csrfToken).toBe(session.csrfToken);
    expect(me.json().data.user).not.toHaveProperty('passwordHash');
  });
});
