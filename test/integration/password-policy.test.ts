/**
 * Issue 10 item 12: common passwords, invisible or emoji padding and full-width look-alikes are refused by the
 * one policy module the server and the web form share; the last five passwords may not come back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_POLICY, isCommonPassword, passwordProblem } from '../../common/password-policy.js';
import COMMON_PASSWORDS from '../../common/data/common-passwords.json';
import { buildRegionTree, buildUser, TEST_PASSWORD, type RegionTree } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('the shared policy', () => {
  it('ships a blocklist of a few thousand lowercase entries', () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(3000);
    for (const p of COMMON_PASSWORDS as string[]) expect(p).toBe(p.toLowerCase());
  });

  it.each([
    'Password1',
    'Qwerty123',
    'P@ssw0rd',
    'P@ssw0rd!',
    '!Password2024#',
    'Admin@123',
    'Woaini1314!',
    'Zhangwei2024!',
    'Ｐａｓｓｗｏｒｄ１', // full-width, the same after NFKC
    '1qaz@WSX',
  ])('refuses the common password %s', (p) => {
    expect(isCommonPassword(p)).toBe(true);
    expect(passwordProblem(p, DEFAULT_PASSWORD_POLICY)?.code).toBe('PASSWORD_COMMON');
  });

  it.each([
    ['zero-width spaces', 'Ab1!\u200b\u200b\u200b\u200b'],
    ['a zero-width joiner', 'Kx7-\u200dmQ2pz'],
    ['a BOM', '\ufeffKx7-mQ2pz'],
    ['a soft hyphen', 'Kx7\u00admQ2pz'],
    ['a variation selector', 'Kx7-mQ2p\ufe0f'],
    ['a tag character', 'Kx7-mQ2p\u{e0041}'],
    ['a bidi override', 'Kx7-\u202emQ2p'],
    ['emoji padding', 'Ab1😀😀😀😀'],
    ['a flag', 'Kx7mQ2pz🇨🇳'],
  ])('refuses %s', (_what, p) => {
    expect(passwordProblem(p, DEFAULT_PASSWORD_POLICY)?.code).toBe('PASSWORD_INVISIBLE');
  });

  it('applies the class and username checks to the NFKC form', () => {
    // A full-width digit counted as a "symbol" before; after NFKC it is a digit, and two classes are too few.
    expect(passwordProblem('kxmqpzw1１', DEFAULT_PASSWORD_POLICY)?.code).toBe('PASSWORD_TOO_SIMPLE');
    expect(passwordProblem('ｌｉｕｆａｎｇ-Kx7q', DEFAULT_PASSWORD_POLICY, 'liufang')?.code).toBe(
      'PASSWORD_CONTAINS_USERNAME',
    );
  });

  it('accepts a good password, with Chinese or spaces in it', () => {
    for (const p of ['Kx7-mQ2pz', '关怀 平台 Kx7q', 'Tea-Horse-Road-1978', TEST_PASSWORD])
      expect(passwordProblem(p, DEFAULT_PASSWORD_POLICY, 'someone'), p).toBeNull();
  });
});

describe('the server applies it, and keeps a history of five', () => {
  let t: TestApp;
  let tree: RegionTree;
  beforeAll(async () => {
    t = await createTestApp();
    tree = await buildRegionTree(t.db);
  });
  afterAll(() => t.close());

  it('refuses a common or padded password when an account is created or a password changed', async () => {
    const admin = await t.signIn('sysadmin', tree.province);
    for (const password of ['Qwerty123', 'Password1', 'Ab1!\u200b\u200b\u200b\u200b', 'Ab1😀😀😀😀']) {
      const res = await admin.post('/api/v1/users', {
        username: `weak${Math.floor(Math.random() * 1e6)}`,
        displayName: '弱口令',
        password,
        role: 'village_staff',
        regionCode: tree.village,
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().error.details[0].path).toBe('password');
      expect(res.json().error.details[0].message).toMatch(/[\u4e00-\u9fff]/);
    }
    const user = await buildUser(t.db, 'village_staff', tree.village);
    const s = await t.login(user);
    const res = await s.post('/api/v1/auth/password', { currentPassword: TEST_PASSWORD, newPassword: 'Password1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'newPassword', code: 'PASSWORD_COMMON' });
  });

  it('refuses any of the last five passwords, and forgets the sixth', async () => {
    const user = await buildUser(t.db, 'township_staff', tree.township);
    const s = await t.login(user);
    const passwords = [TEST_PASSWORD, 'Kx7-mQ2pz-1', 'Kx7-mQ2pz-2', 'Kx7-mQ2pz-3', 'Kx7-mQ2pz-4', 'Kx7-mQ2pz-5'];
    const change = (from: string, to: string) =>
      s.post('/api/v1/auth/password', { currentPassword: from, newPassword: to });
    for (let i = 1; i < passwords.length; i += 1) {
      // Every earlier password still within the last five is refused.
      for (let j = Math.max(0, i - 5); j < i; j += 1) {
        const reused = await change(passwords[i - 1], passwords[j]);
        expect(reused.statusCode, `${passwords[j]} after ${i} changes`).toBe(400);
        expect(reused.json().error.details[0]).toMatchObject({ path: 'newPassword', code: 'PASSWORD_REUSED' });
        expect(reused.json().error.details[0].message).toContain('最近 5 次');
      }
      expect((await change(passwords[i - 1], passwords[i])).statusCode).toBe(204);
      t.clock.advanceMinutes(1);
    }
    // Now the current is -5 and the history holds -1 … -4: the first password is six back and may return.
    expect((await change(passwords[5], passwords[0])).statusCode).toBe(204);
    const kept = await t.db.selectFrom('password_history').select('id').where('user_id', '=', user.id).execute();
    expect(kept).toHaveLength(4);
  });

  it('remembers the password an administrator resets', async () => {
    const admin = await t.signIn('sysadmin', tree.province);
    const user = await buildUser(t.db, 'village_staff', tree.village);
    const before = (await admin.get(`/api/v1/users/${user.id}`)).json().data;
    const reset = await admin.patch(`/api/v1/users/${user.id}`, { version: before.version, password: 'Reset-Kx7q-9' });
    expect(reset.statusCode, reset.body).toBe(200);
    const s = await t.login({ username: user.username, password: 'Reset-Kx7q-9' });
    // Changing straight back to the password before the reset is refused.
    const back = await s.post('/api/v1/auth/password', { currentPassword: 'Reset-Kx7q-9', newPassword: TEST_PASSWORD });
    expect(back.statusCode).toBe(400);
    expect(back.json().error.details[0].code).toBe('PASSWORD_REUSED');
  });
});
