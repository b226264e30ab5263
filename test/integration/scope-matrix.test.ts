import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.js';
import { levelOfCode, subtreeRange } from '../../server/platform/scope.js';
import { buildRegionTree, buildUser, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';

/**
 * Role × region relation × endpoint. Every endpoint that reads or writes something bound to a region
 * joins the ENDPOINTS table: in scope it answers as the role allows (200 or 403), outside scope 404.
 */
type Relation = 'self' | 'child' | 'parent' | 'sibling' | 'otherBranch';
const RELATIONS: Relation[] = ['self', 'child', 'parent', 'sibling', 'otherBranch'];

interface Endpoint {
  name: string;
  /** Roles that may do it in scope; everyone else gets 403 in scope. */
  allowed: Role[] | 'all';
  /** A contact reaches families only through assignments: an unassigned family is 404 even in scope. */
  contactSeesNone?: boolean;
  /** 'create': the region is a field of the new object, so a role that may not create gets 403 anywhere. */
  kind?: 'create';
  /** Makes the target object in `regionCode` and calls the endpoint on it as `session`. */
  call(session: Session, regionCode: string): Promise<number>;
}

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let sysadmin: Session;

const FAMILY_READERS: Role[] = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];
const SUPERVISORS: Role[] = [
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];

/** A new contact account the sysadmin asked for, waiting for the security administrator. */
async function pendingUser(code: string): Promise<string> {
  const user = await buildUser(t.db, 'contact', code);
  const change = {
    kind: 'create',
    requestedBy: randomUUID(),
    requestedAt: new Date().toISOString(),
    approverRole: 'security_admin',
  };
  await t.db
    .updateTable('users')
    .set({ pending_change: JSON.stringify(change) })
    .where('id', '=', user.id)
    .execute();
  return user.id;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET /regions/{code}',
    allowed: 'all',
    call: async (s, code) => (await s.get(`/api/v1/regions/${code}`)).statusCode,
  },
  {
    name: 'GET /regions/{code}/children',
    allowed: 'all',
    call: async (s, code) => (await s.get(`/api/v1/regions/${code}/children`)).statusCode,
  },
  {
    name: 'GET /users/{id}',
    allowed: ['sysadmin', 'security_admin'],
    call: async (s, code) => (await s.get(`/api/v1/users/${(await buildUser(t.db, 'contact', code)).id}`)).statusCode,
  },
  {
    name: 'PATCH /users/{id}',
    allowed: ['sysadmin'],
    call: async (s, code) =>
      (
        await s.patch(`/api/v1/users/${(await buildUser(t.db, 'contact', code)).id}`, {
          version: 1,
          displayName: '改名',
        })
      ).statusCode,
  },
  {
    name: 'POST /users/{id}/unlock',
    allowed: ['sysadmin', 'security_admin'],
    call: async (s, code) =>
      (await s.post(`/api/v1/users/${(await buildUser(t.db, 'contact', code)).id}/unlock`)).statusCode,
  },
  {
    name: 'POST /users/{id}/approve',
    allowed: ['security_admin'],
    call: async (s, code) => (await s.post(`/api/v1/users/${await pendingUser(code)}/approve`)).statusCode,
  },
  {
    name: 'POST /users/{id}/reject',
    allowed: ['security_admin'],
    call: async (s, code) => (await s.post(`/api/v1/users/${await pendingUser(code)}/reject`)).statusCode,
  },
  {
    name: 'POST /users/{id}/mfa-reset',
    allowed: ['security_admin'],
    call: async (s, code) => {
      const user = await buildUser(t.db, 'contact', code);
      await t.db
        .updateTable('users')
        .set({ mfa_enabled_at: new Date().toISOString() })
        .where('id', '=', user.id)
        .execute();
      return (await s.post(`/api/v1/users/${user.id}/mfa-reset`)).statusCode;
    },
  },
  {
    name: 'POST /users',
    allowed: ['sysadmin'],
    kind: 'create',
    call: async (s, code) => {
      const res = await s.post('/api/v1/users', {
        username: `m${Math.random().toString(36).slice(2, 10)}`,
        displayName: '新',
        password: 'Strong-Pass1',
        role: 'contact',
        regionCode: code,
      });
      // A region outside scope is a bad field value on create (400), not a hidden object.
      return res.statusCode === 400 && res.json().error.details[0].path === 'regionCode' ? 404 : res.statusCode;
    },
  },
  {
    name: 'GET /families/{id}',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}`)).statusCode,
  },
  {
    name: 'PATCH /families/{id}',
    allowed: ['village_staff', 'township_staff'],
    contactSeesNone: true,
    call: async (s, code) =>
      (await s.patch(`/api/v1/families/${await familyIn(code, s)}`, { version: 1, address: '新地址' })).statusCode,
  },
  {
    name: 'POST /families/{id}/reveal',
    allowed: ['village_staff', 'township_staff', 'county_staff', 'county_leader'],
    contactSeesNone: true,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/families/${await familyIn(code, s)}/reveal`, {
          field: 'members.0.idNumber',
          reason: '核对身份',
        })
      ).statusCode,
  },
  {
    name: 'GET /families/{id}/history',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/history`)).statusCode,
  },
  {
    name: 'GET /families/{id}/assignments',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/assignments`)).statusCode,
  },
  {
    name: 'GET /families/{id}/contact-card',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/contact-card`)).statusCode,
  },
  {
    name: 'GET /families/{id}/contact-logs',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/contact-logs`)).statusCode,
  },
  {
    name: 'GET /families?regionCode=',
    allowed: FAMILY_READERS,
    call: async (s, code) => (await s.get(`/api/v1/families?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /families/stats?regionCode=',
    allowed: FAMILY_READERS,
    call: async (s, code) => (await s.get(`/api/v1/families/stats?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /contacts/{id}',
    allowed: ['village_staff', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    call: async (s, code) => (await s.get(`/api/v1/contacts/${await contactIn(code, s)}`)).statusCode,
  },
  {
    name: 'GET /compliance/monthly?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/compliance/monthly?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /coverage?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/coverage?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /families/export.xlsx?regionCode=',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    call: async (s, code) => (await s.get(`/api/v1/families/export.xlsx?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /compliance/overdue.xlsx?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/compliance/overdue.xlsx?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /festival-care/coverage?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) =>
      (await s.get(`/api/v1/festival-care/coverage?year=2026&festival=mid_autumn&regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /festival-care/families?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) =>
      (await s.get(`/api/v1/festival-care/families?year=2026&festival=mid_autumn&regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /needs?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/needs?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /needs/by-department?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/needs/by-department?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /family-imports/{id}',
    allowed: ['township_staff'],
    call: async (s, code) => (await s.get(`/api/v1/family-imports/${await importJobIn(code)}`)).statusCode,
  },
];

/**
 * A family in a village under `code` — outside the caller's own region when `code` is above it, so that a
 * "parent" target really is not in the caller's scope.
 */
async function familyIn(code: string, caller: Session): Promise<string> {
  const village = await villageUnder(code, caller.user.regionCode);
  const family = await t.app.services.families.create(
    systemContext(village.slice(0, 9) + '000'),
    familyInput(village) as never,
  );
  return family.id;
}

/** A finished import job uploaded by someone at `code` (jobs are only ever made by an upload). */
async function importJobIn(code: string): Promise<string> {
  const id = randomUUID();
  const at = t.clock.now().toISOString();
  await t.db
    .insertInto('family_imports')
    .values({
      id,
      status: 'done',
      mode: 'validate',
      stage: null,
      file_name: '名单.xlsx',
      created_by: sysadmin.user.id,
      region_code: code,
      total: 0,
      processed: 0,
      accepted: 0,
      rejected: 0,
      skipped: 0,
      errors: '[]',
      skips: '[]',
      is_truncated: 0,
      message: null,
      error_rows_enc: null,
      created_at: at,
      started_at: at,
      heartbeat_at: at,
      finished_at: at,
    })
    .execute();
  return id;
}

/** A village cadre registered in a village under `code` (outside the caller's region when possible). */
async function contactIn(code: string, caller: Session): Promise<string> {
  const village = await villageUnder(code, caller.user.regionCode);
  const contact = await t.app.services.contacts.create(systemContext(village.slice(0, 9) + '000'), {
    name: '矩阵联系人',
    phone: '13900000000',
    post: 'village_cadre',
    regionCode: village,
  });
  return contact.id;
}

async function villageUnder(code: string, avoid: string): Promise<string> {
  const range = subtreeRange(code);
  const own = subtreeRange(avoid);
  const villages = await t.db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'village')
    .where('code', '>=', range.from)
    .where('code', '<=', range.to)
    .orderBy('code')
    .execute();
  const outside = villages.find((v) => v.code < own.from || v.code > own.to);
  return (outside ?? villages[0]).code;
}

function systemContext(regionCode: string) {
  return {
    actor: {
      id: 'matrix',
      username: 'matrix',
      displayName: '矩阵',
      role: (regionCode.endsWith('000000') ? 'county_staff' : 'township_staff') as Role,
      regionCode,
      regionLevel: levelOfCode(regionCode),
      sessionIdHash: '',
      mustChangePassword: false,
    },
  };
}

/** Where each role sits for the matrix, and the region at each relation to it. */
function relationsFor(level: ActorLevel): Record<Relation, string> {
  switch (level) {
    case 'prefecture':
      return {
        self: tree.prefecture,
        child: tree.county,
        parent: tree.province,
        sibling: other.prefecture,
        otherBranch: other.county,
      };
    case 'county':
      return {
        self: tree.county,
        child: tree.township,
        parent: tree.prefecture,
        sibling: tree.siblingCounty,
        otherBranch: other.county,
      };
    case 'township':
      return {
        self: tree.township,
        child: tree.village,
        parent: tree.county,
        sibling: tree.siblingTownship,
        otherBranch: other.township,
      };
    case 'village':
      // A village has no children: "child" is the village itself.
      return {
        self: tree.village,
        child: tree.village,
        parent: tree.township,
        sibling: tree.siblingVillage,
        otherBranch: other.village,
      };
  }
}
type ActorLevel = 'prefecture' | 'county' | 'township' | 'village';

const ACTORS: Array<{ role: Role; level: ActorLevel }> = [
  { role: 'village_staff', level: 'village' },
  { role: 'prefecture_staff', level: 'prefecture' },
  { role: 'contact', level: 'township' },
  { role: 'township_staff', level: 'township' },
  { role: 'county_staff', level: 'county' },
  { role: 'county_leader', level: 'county' },
  { role: 'sysadmin', level: 'county' },
  { role: 'security_admin', level: 'county' },
  { role: 'auditor', level: 'county' },
];

beforeAll(async () => {
  t = await createTestApp();
  tree = await buildRegionTree(t.db);
  other = await buildRegionTree(t.db);
  sysadmin = await t.signIn('sysadmin', tree.province);
});
afterAll(() => t.close());

describe.each(ACTORS)('$role at $level', ({ role, level }) => {
  let session: Session;
  beforeAll(async () => {
    session = await t.signIn(role, relationsFor(level).self);
  });

  for (const endpoint of ENDPOINTS) {
    it.each(RELATIONS)(`${endpoint.name} on %s`, async (relation) => {
      const code = relationsFor(level)[relation];
      const inScope = relation === 'self' || relation === 'child';
      const permitted = endpoint.allowed === 'all' || endpoint.allowed.includes(role);
      const expected =
        endpoint.kind === 'create' && !permitted
          ? 403
          : !inScope || (role === 'contact' && endpoint.contactSeesNone)
            ? 404
            : permitted
              ? [200, 201]
              : [403];
      const status = await endpoint.call(session, code);
      if (typeof expected === 'number') expect(status).toBe(expected);
      else expect(expected).toContain(status);
    });
  }
});

describe('lists never carry rows from outside scope', () => {
  it('GET /users shows only accounts in the admin’s subtree', async () => {
    const inside = await buildUser(t.db, 'contact', tree.village);
    const outside = await buildUser(t.db, 'contact', other.village);
    const admin = await t.signIn('sysadmin', tree.county);
    const names = ((await admin.get('/api/v1/users?pageSize=200')).json().data as Array<{ username: string }>).map(
      (u) => u.username,
    );
    expect(names).toContain(inside.username);
    expect(names).not.toContain(outside.username);
    expect(
      // Searched by name: the matrix above makes more accounts than one page holds.
      ((await sysadmin.get(`/api/v1/users?q=${outside.username}`)).json().data as Array<{ username: string }>).map(
        (u) => u.username,
      ),
    ).toContain(outside.username);
  });
});
