import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.js';
import { buildRegionTree, buildUser, type RegionTree } from '../support/factories.js';
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
  /** 'create': the region is a field of the new object, so a role that may not create gets 403 anywhere. */
  kind?: 'create';
  /** Makes the target object in `regionCode` and calls the endpoint on it as `session`. */
  call(session: Session, regionCode: string): Promise<number>;
}

let t: TestApp;
let tree: RegionTree;
let other: RegionTree;
let sysadmin: Session;

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
];

/** Where each role sits for the matrix, and the region at each relation to it. */
function relationsFor(level: 'county' | 'township'): Record<Relation, string> {
  return level === 'county'
    ? {
        self: tree.county,
        child: tree.township,
        parent: tree.prefecture,
        sibling: tree.siblingCounty,
        otherBranch: other.county,
      }
    : {
        self: tree.township,
        child: tree.village,
        parent: tree.county,
        sibling: tree.siblingTownship,
        otherBranch: other.township,
      };
}

const ACTORS: Array<{ role: Role; level: 'county' | 'township' }> = [
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
      const expected = endpoint.kind === 'create' && !permitted ? 403 : !inScope ? 404 : permitted ? [200, 201] : [403];
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
      ((await sysadmin.get('/api/v1/users?pageSize=200')).json().data as Array<{ username: string }>).map(
        (u) => u.username,
      ),
    ).toContain(outside.username);
  });
});
