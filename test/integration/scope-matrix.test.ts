import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../common/roles.js';
import ExcelJS from 'exceljs';
import { chinaDate } from '../../server/platform/clock.js';
import { approverRegionOf, approverRoleOf, SUBMITTER_ROLES } from '../../server/modules/stat-returns/chain.js';
import { levelOfCode, subtreeRange } from '../../server/platform/scope.js';
import { multipartBody } from '../support/uploads.js';
import { buildRegionTree, buildUser, familyInput, type RegionTree } from '../support/factories.js';
import { createTestApp, type Session, type TestApp } from '../support/test-app.js';
import { buildSignedAndEnveloped } from '../../server/platform/crypto/gm-envelope.js';
import { sm2PublicKeyToPem } from '../../server/platform/crypto/sm2-pem.js';
import {
  encodeContent,
  PACKAGE_FORMAT,
  type PackageContent,
} from '../../server/modules/stat-packages/package-content.js';

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
  /** The expected statuses where an endpoint's rule differs from the default for a relation; undefined keeps it. */
  expected?: (relation: Relation, permitted: boolean) => number | number[] | undefined;
  /** Makes the target object in `regionCode` and calls the endpoint on it as `session`. */
  call(session: Session, regionCode: string): Promise<number>;
  /** Objects held at a level (a county's staffing, a township's training): only actors at these levels walk it. */
  actorLevels?: ActorLevel[];
  /** In scope, when who may act depends on the target's region too (a return's own staff, the level above). */
  expectedInScope?: (role: Role, code: string, actorRegion: string) => number[];
  /** Where the general rule does not describe the endpoint (county objects, per-user data): the expected status. */
  expect?: (role: Role, level: ActorLevel, relation: Relation) => number | number[];
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
const CHANNEL_READERS: Role[] = ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'];
const NOTICE_READERS: Role[] = CHANNEL_READERS;
const MATRIX_PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n');

const ENDPOINTS: Endpoint[] = [
  {
    name: 'GET /regions/{code}',
    allowed: 'all',
    call: async (s, code) => (await s.get(`/api/v1/regions/${code}`)).statusCode,
  },
  {
    name: 'GET /regions/{code}/search?q=',
    allowed: 'all',
    call: async (s, code) => (await s.get(`/api/v1/regions/${code}/search?q=${encodeURIComponent('村')}`)).statusCode,
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
    name: 'POST /families/{id}/reveal-requests',
    allowed: ['village_staff', 'township_staff', 'county_staff', 'county_leader'],
    contactSeesNone: true,
    call: async (s, code) => {
      await useUpRevealHour(s);
      return (
        await s.post(`/api/v1/families/${await familyIn(code, s)}/reveal-requests`, {
          field: 'members.0.idNumber',
          reason: '核对身份信息',
        })
      ).statusCode;
    },
  },
  {
    name: 'POST /reveal-requests/{id}/approve',
    allowed: ['township_staff', 'county_staff', 'county_leader'],
    call: async (s, code) =>
      (await s.post(`/api/v1/reveal-requests/${await revealRequestIn(code, s)}/approve`, { version: 1 })).statusCode,
  },
  {
    name: 'POST /reveal-requests/{id}/reject',
    allowed: ['township_staff', 'county_staff', 'county_leader'],
    call: async (s, code) =>
      (
        await s.post(`/api/v1/reveal-requests/${await revealRequestIn(code, s)}/reject`, {
          version: 1,
          reason: '矩阵测试驳回',
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
    name: 'GET /families/{id}/festival-care',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/festival-care`)).statusCode,
  },
  {
    name: 'GET /families/{id}/contact-card',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/contact-card`)).statusCode,
  },
  {
    name: 'GET /assignments/bulk?regionCode= (a village)',
    allowed: ['township_staff', 'county_staff', 'county_leader'],
    call: async (s, code) =>
      (await s.get(`/api/v1/assignments/bulk?regionCode=${await villageUnder(code, s.user.regionCode)}`)).statusCode,
  },
  {
    name: 'POST /assignments/bulk',
    allowed: ['township_staff', 'county_staff', 'county_leader'],
    // In scope and permitted, the unknown contact is the field at fault (400); nothing is assigned.
    expected: (relation, permitted) => ((relation === 'self' || relation === 'child') && permitted ? 400 : undefined),
    call: async (s, code) => {
      const familyId = await familyIn(code, s);
      const row = await t.db
        .selectFrom('families')
        .select(['region_code', 'version'])
        .where('id', '=', familyId)
        .executeTakeFirstOrThrow();
      return (
        await s.post('/api/v1/assignments/bulk', {
          regionCode: row.region_code,
          townshipContactId: randomUUID(),
          families: [{ familyId, version: row.version }],
        })
      ).statusCode;
    },
  },
  {
    name: 'GET /contact-cards?regionCode= (a village)',
    allowed: SUPERVISORS,
    call: async (s, code) =>
      (await s.get(`/api/v1/contact-cards?regionCode=${await villageUnder(code, s.user.regionCode)}`)).statusCode,
  },
  {
    name: 'GET /rankings?regionCode=',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    call: async (s, code) => (await s.get(`/api/v1/rankings?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /rankings/export.xlsx?regionCode=',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    call: async (s, code) => (await s.get(`/api/v1/rankings/export.xlsx?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /supervision-orders/{id} (sent to the region)',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    call: async (s, code) => {
      const region = await t.db
        .selectFrom('regions')
        .select('parent_code')
        .where('code', '=', code)
        .executeTakeFirstOrThrow();
      const id = randomUUID();
      await t.db
        .insertInto('supervision_orders')
        .values({
          id,
          from_region_code: region.parent_code ?? code,
          region_code: code,
          title: '矩阵督办',
          body: null,
          figure: null,
          due_on: '2099-01-01',
          status: 'open',
          created_by: 'matrix',
          created_by_name: '矩阵',
          created_at: new Date().toISOString(),
          reply: null,
          replied_by: null,
          replied_by_name: null,
          replied_at: null,
          version: 1,
        })
        .execute();
      return (await s.get(`/api/v1/supervision-orders/${id}`)).statusCode;
    },
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
    allowed: ['village_staff', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
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
  }, // R10: channels and notices belong to a county. An actor below the county level never has the county
  // itself in scope (404), except for reading what the county published on its notice board.
  {
    name: 'GET /channels?regionCode=',
    allowed: CHANNEL_READERS,
    call: async (s, code) => (await s.get(`/api/v1/channels?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /channels/coverage?regionCode=',
    allowed: CHANNEL_READERS,
    call: async (s, code) => (await s.get(`/api/v1/channels/coverage?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /channels',
    allowed: ['county_staff', 'county_leader'],
    kind: 'create',
    call: async (s, code) =>
      (
        await s.post('/api/v1/channels', {
          regionCode: await countyUnder(code, s.user.regionCode),
          kind: 'qq_group',
          name: '矩阵群',
        })
      ).statusCode,
  },
  {
    name: 'GET /channels/admin-candidates?regionCode=',
    allowed: ['county_staff', 'county_leader'],
    call: async (s, code) => (await s.get(`/api/v1/channels/admin-candidates?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /channels/{id}',
    allowed: CHANNEL_READERS,
    expect: belowCountySeesNone,
    call: async (s, code) => (await s.get(`/api/v1/channels/${await channelIn(code, s)}`)).statusCode,
  },
  {
    name: 'PATCH /channels/{id}',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (await s.patch(`/api/v1/channels/${await channelIn(code, s)}`, { version: 1, size: 12 })).statusCode,
  },
  {
    name: 'GET /notices?regionCode=',
    allowed: NOTICE_READERS,
    call: async (s, code) => (await s.get(`/api/v1/notices?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /notices',
    allowed: ['county_staff', 'county_leader'],
    kind: 'create',
    call: async (s, code) =>
      (
        await s.post('/api/v1/notices', {
          regionCode: await countyUnder(code, s.user.regionCode),
          title: '矩阵公告',
          body: '正文',
          channelIds: [],
          confidentiality: 'internal',
          declaredNotClassified: true,
        })
      ).statusCode,
  },
  {
    name: 'GET /notices/{id} (published)',
    allowed: NOTICE_READERS,
    expect: boardReaders,
    call: async (s, code) => (await s.get(`/api/v1/notices/${await noticeIn(code, s, 'published')}`)).statusCode,
  },
  {
    name: 'POST /notices/{id}/read',
    allowed: NOTICE_READERS,
    expect: boardReaders,
    call: async (s, code) => (await s.post(`/api/v1/notices/${await noticeIn(code, s, 'published')}/read`)).statusCode,
  },
  {
    name: 'GET /notices/{id}/attachments/{attachmentId}',
    allowed: NOTICE_READERS,
    expect: boardReaders,
    call: async (s, code) => {
      const id = await noticeIn(code, s, 'published', true);
      const [att] = await t.db.selectFrom('notice_attachments').select('id').where('notice_id', '=', id).execute();
      return (await s.get(`/api/v1/notices/${id}/attachments/${att.id}`)).statusCode;
    },
  },
  {
    name: 'PATCH /notices/{id}',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (
        await s.patch(`/api/v1/notices/${await noticeIn(code, s, 'draft')}`, {
          version: 1,
          title: '改',
          declaredNotClassified: true,
        })
      ).statusCode,
  },
  {
    name: 'POST /notices/{id}/submit',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (await s.post(`/api/v1/notices/${await noticeIn(code, s, 'draft')}/submit`, { version: 1 })).statusCode,
  },
  {
    name: 'POST /notices/{id}/approve',
    allowed: ['county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (await s.post(`/api/v1/notices/${await noticeIn(code, s, 'submitted')}/approve`, { version: 2 })).statusCode,
  },
  {
    name: 'POST /notices/{id}/return',
    allowed: ['county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (await s.post(`/api/v1/notices/${await noticeIn(code, s, 'submitted')}/return`, { version: 2, reason: '退回' }))
        .statusCode,
  },
  {
    name: 'POST /notices/{id}/withdraw',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (await s.post(`/api/v1/notices/${await noticeIn(code, s, 'published')}/withdraw`, { version: 3, reason: '撤回' }))
        .statusCode,
  },
  {
    name: 'GET /notices/{id}/deliveries',
    allowed: NOTICE_READERS,
    expect: belowCountySeesNone,
    call: async (s, code) =>
      (await s.get(`/api/v1/notices/${await noticeIn(code, s, 'published')}/deliveries`)).statusCode,
  },
  {
    name: 'POST /notices/{id}/deliveries/{channelId}/posted',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) => {
      const id = await noticeIn(code, s, 'published');
      const [d] = await t.db.selectFrom('notice_deliveries').select('channel_id').where('notice_id', '=', id).execute();
      return (await s.post(`/api/v1/notices/${id}/deliveries/${d.channel_id}/posted`)).statusCode;
    },
  },
  {
    name: 'GET /notices/{id}/reads',
    allowed: NOTICE_READERS,
    expect: belowCountySeesNone,
    call: async (s, code) => (await s.get(`/api/v1/notices/${await noticeIn(code, s, 'published')}/reads`)).statusCode,
  },
  {
    name: 'POST /notices/{id}/attachments',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) => {
      const id = await noticeIn(code, s, 'draft');
      const { payload, contentType } = multipartBody({ version: '1' }, { name: '须知.pdf', content: MATRIX_PDF });
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/notices/${id}/attachments`,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': contentType },
        payload,
      });
      return res.statusCode;
    },
  },
  {
    name: 'DELETE /notices/{id}/attachments/{attachmentId}',
    allowed: ['county_staff', 'county_leader'],
    expect: belowCountySeesNone,
    call: async (s, code) => {
      const id = await noticeIn(code, s, 'draft', true);
      const [att] = await t.db.selectFrom('notice_attachments').select('id').where('notice_id', '=', id).execute();
      return (await s.request('DELETE', `/api/v1/notices/${id}/attachments/${att.id}?version=2`)).statusCode;
    },
  },
  {
    name: 'GET /offline-pack',
    allowed: ['contact', 'village_staff', 'township_staff'],
    // Not bound to a region: the caller's own todos and families, wherever the matrix aims.
    expect: (role) => (['contact', 'village_staff', 'township_staff'].includes(role) ? 200 : 403),
    call: async (s) => (await s.get('/api/v1/offline-pack')).statusCode,
  },
  {
    name: 'GET /notice-board',
    allowed: ['contact', 'village_staff', 'township_staff', 'county_staff', 'county_leader'],
    // Not bound to a region: the caller's own county's board, wherever the matrix aims.
    expect: (role) =>
      ['contact', 'village_staff', 'township_staff', 'county_staff', 'county_leader'].includes(role) ? 200 : 403,
    call: async (s) => (await s.get('/api/v1/notice-board')).statusCode,
  },
  // The bell is each account's own: every role has one, and another account's notification is not found.
  ...[
    '/api/v1/notifications?unread=true',
    '/api/v1/notifications/unread-count',
    '/api/v1/notification-preferences',
  ].map((url): Endpoint => ({
    name: `GET ${url.replace('/api/v1', '')}`,
    allowed: 'all',
    expect: () => 200,
    call: async (s) => (await s.get(url)).statusCode,
  })),
  {
    name: 'POST /notifications/read-all',
    allowed: 'all',
    expect: () => 200,
    call: async (s) => (await s.post('/api/v1/notifications/read-all')).statusCode,
  },
  {
    name: 'PUT /notification-preferences',
    allowed: 'all',
    expect: () => [200, 409],
    call: async (s) =>
      (
        await s.put('/api/v1/notification-preferences', {
          version: 1,
          kinds: ['notice_awaiting_approval'],
          channels: ['in_app'],
          quietFrom: null,
          quietTo: null,
          digest: true,
        })
      ).statusCode,
  },
  {
    name: "POST /notifications/{id}/read (another account's)",
    allowed: 'all',
    expect: () => 404,
    call: async (s, code) => {
      const owner = await buildUser(t.db, 'township_staff', code.endsWith('000000000') ? tree.township : code);
      const [id] = await t.db.transaction().execute((trx) =>
        t.app.services.notifications.notify(trx, {
          kind: 'digest',
          title: '他人的提醒',
          body: '正文',
          userIds: [owner.id],
          dedupeKey: randomUUID(),
        }),
      );
      return (await s.post(`/api/v1/notifications/${id}/read`)).statusCode;
    },
  },
  {
    name: 'GET /duplicate-archives?regionCode=',
    allowed: ['county_staff', 'prefecture_staff', 'province_staff'],
    call: async (s, code) => (await s.get(`/api/v1/duplicate-archives?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /duplicate-archives/{id}/resolve',
    allowed: ['county_staff', 'prefecture_staff', 'province_staff'],
    call: async (s, code) =>
      (
        await s.post(`/api/v1/duplicate-archives/${await duplicateIn(code, s)}/resolve`, {
          resolution: 'reject',
          reason: '矩阵测试驳回',
        })
      ).statusCode,
  },
  {
    name: 'GET /regions/{code}/public-key',
    allowed: ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    // Townships and villages hold no key: ask for the county they lie in.
    call: async (s, code) => (await s.get(`/api/v1/regions/${keyRegionOf(code, s)}/public-key`)).statusCode,
  },
  {
    name: 'PUT /regions/{code}/public-key',
    allowed: ['prefecture_staff', 'province_staff'],
    // A level's own key is generated here (400); the level it reports to is registrable from below.
    expected: (relation, permitted) =>
      permitted && relation === 'self' ? 400 : permitted && relation === 'parent' ? 200 : undefined,
    call: async (s, code) =>
      (
        await s.put(`/api/v1/regions/${keyRegionOf(code, s)}/public-key`, {
          publicKeyPem: await freshPublicKeyPem(),
          reason: '矩阵',
        })
      ).statusCode,
  },
  {
    name: 'POST /stat-return-packages',
    allowed: ['prefecture_staff', 'province_staff'],
    kind: 'create',
    call: async (s, code) => {
      const res = await uploadPackage(s, await packageSignedUnder(code, s));
      // A signer outside scope is a refusal of the package (400), not a hidden object.
      return res.statusCode === 400 && res.json().error.details[0].code === 'SIGNER_OUT_OF_SCOPE'
        ? 404
        : res.statusCode;
    },
  },
  {
    name: 'POST /stat-return-packages/accept',
    allowed: ['prefecture_staff', 'province_staff'],
    kind: 'create',
    call: async (s, code) => {
      // A period of its own per call: a county's return of one period is handed in once.
      const res = await uploadPackage(
        s,
        await packageSignedUnder(code, s, String((acceptPeriod += 1))),
        '/api/v1/stat-return-packages/accept',
      );
      return res.statusCode === 400 && res.json().error.details[0].code === 'SIGNER_OUT_OF_SCOPE'
        ? 404
        : res.statusCode;
    },
  },
  {
    name: 'GET /stat-returns/{id}/package',
    allowed: ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
    // Township returns travel inside the instance: ask for the county's return instead.
    call: async (s, code) => {
      const region = keyRegionOf(code, s);
      await retireRegisteredKey(region);
      return (await s.get(`/api/v1/stat-returns/${await returnIn(region, 'submitted')}/package`)).statusCode;
    },
  },
  {
    name: 'POST /stat-returns/{id}/xlsx',
    allowed: SUPERVISORS,
    call: async (s, code) =>
      (await s.post(`/api/v1/stat-returns/${await returnIn(code, 'submitted')}/xlsx`, { password: 'Matrix-pass-1' }))
        .statusCode,
  },
  {
    name: 'GET /stat-returns/{id}',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/stat-returns/${await returnIn(code, 'draft')}`)).statusCode,
  },
  {
    name: 'GET /stat-returns/{id}/changes',
    allowed: SUPERVISORS,
    call: async (s, code) =>
      (await s.get(`/api/v1/stat-returns/${await returnIn(code, 'submitted')}/changes`)).statusCode,
  },
  {
    name: 'GET /stat-returns',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/stat-returns?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /reporting-rates',
    allowed: SUPERVISORS,
    call: async (s, code) =>
      (await s.get(`/api/v1/reporting-rates?template=annual&period=2025&regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /stat-returns',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff'],
    expectedInScope: (role, code, own) => (isReturnSubmitter(role, code, own) ? [201] : [403]),
    call: async (s, code) =>
      (
        await s.post('/api/v1/stat-returns', {
          template: 'annual',
          period: String((periodCounter += 1)),
          regionCode: code,
        })
      ).statusCode,
  },
  {
    name: 'PATCH /stat-returns/{id}',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff'],
    expectedInScope: (role, code, own) => (isReturnSubmitter(role, code, own) ? [200] : [403]),
    call: async (s, code) =>
      (await s.patch(`/api/v1/stat-returns/${await returnIn(code, 'draft')}`, { version: 1, remarks: '说明' }))
        .statusCode,
  },
  {
    name: 'POST /stat-returns/{id}/submit',
    allowed: ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff'],
    expectedInScope: (role, code, own) => (isReturnSubmitter(role, code, own) ? [200] : [403]),
    call: async (s, code) => {
      const children = await t.db.selectFrom('regions').select('code').where('parent_code', '=', code).execute();
      const missingReasons = Object.fromEntries(children.map((c) => [c.code, '矩阵']));
      return (
        await s.post(`/api/v1/stat-returns/${await returnIn(code, 'draft')}/submit`, { version: 1, missingReasons })
      ).statusCode;
    },
  },
  ...(['approve', 'return', 'reopen'] as const).map((step): Endpoint => ({
    name: `POST /stat-returns/{id}/${step}`,
    allowed: ['county_leader', 'prefecture_staff', 'province_staff'],
    expectedInScope: (role, code, own) =>
      approverRoleOf(code) === role && approverRegionOf(code) === own ? [200] : [403],
    call: async (s, code) =>
      (
        await s.post(
          `/api/v1/stat-returns/${await returnIn(code, step === 'reopen' ? 'approved' : 'submitted')}/${step}`,
          { version: 1, ...(step === 'approve' ? {} : { reason: '矩阵' }) },
        )
      ).statusCode,
  })),
];

// Past years, one per created return (returns written directly take theirs from 1000 on).
let periodCounter = 1900;
let storedPeriod = 1000;

/** A statistical return of `code` in the given state, written straight to the table (any level will do). */
async function returnIn(code: string, status: string): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await t.db
    .insertInto('stat_returns')
    .values({
      id,
      template: 'annual',
      period: String((storedPeriod += 1)),
      region_code: code,
      status,
      due_at: '2000-03-31T15:59:59.999Z',
      submitted_at: status === 'draft' ? null : now,
      first_submitted_at: status === 'draft' ? null : now,
      timeliness: status === 'draft' ? null : 'late',
      approved_at: status === 'approved' ? now : null,
      figures: '{}',
      definition_versions: '{}',
      checks: '[]',
      computed_at: now,
      manual: '{}',
      remarks: null,
      prepared_by: null,
      responsible_person: null,
      explanations: '{}',
      missing_reasons: '{}',
      return_reason: null,
      created_by: 'matrix',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  return id;
}

/** The staff of a return's own region compile and submit it (township, county, city). */
function isReturnSubmitter(role: Role, code: string, own: string): boolean {
  return code === own && (SUBMITTER_ROLES[levelOfCode(code)] ?? []).includes(role);
}

/** A pending cross-region duplicate supervised at `code`, between two archives under it. */
/** The caller has seen its hour's worth of full values: a request for approval is what it may file now. */
async function useUpRevealHour(caller: Session): Promise<void> {
  const at = t.clock.now().toISOString();
  await t.db
    .insertInto('reveal_attempts')
    .values(
      Array.from({ length: t.config.reveal.perHour }, () => ({
        id: randomUUID(),
        user_id: caller.user.id,
        family_id: randomUUID(),
        at,
        refused: 0,
      })),
    )
    .execute();
}

/** A pending request, filed by someone else, to reveal a value of a family under `code`. */
async function revealRequestIn(code: string, caller: Session): Promise<string> {
  const familyId = await familyIn(code, caller);
  const row = await t.db
    .selectFrom('families')
    .select('region_code')
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  const requester = await buildUser(t.db, 'village_staff', row.region_code);
  const id = randomUUID();
  await t.db
    .insertInto('reveal_requests')
    .values({
      id,
      family_id: familyId,
      region_code: row.region_code,
      field: 'members.0.idNumber',
      reason: '矩阵测试申请',
      requested_by: requester.id,
      requested_at: t.clock.now().toISOString(),
      status: 'pending',
    })
    .execute();
  return id;
}

async function duplicateIn(code: string, caller: Session): Promise<string> {
  const [existing, fresh] = [await familyIn(code, caller), await familyIn(code, caller)];
  const row = await t.db.selectFrom('families').select('region_code').where('id', '=', fresh).executeTakeFirstOrThrow();
  const id = randomUUID();
  await t.db
    .insertInto('duplicate_archives')
    .values({
      id,
      id_number_idx: randomUUID(),
      new_family_id: fresh,
      new_region_code: row.region_code,
      existing_family_id: existing,
      supervising_code: code,
      status: 'pending',
      reason: null,
      created_at: t.clock.now().toISOString(),
      created_by: sysadmin.user.id,
      resolved_at: null,
      resolved_by: null,
      version: 1,
    })
    .execute();
  return id;
}

/** County objects: an actor below the county level has none in scope. */
function belowCountySeesNone(role: Role, level: ActorLevel, relation: Relation): number | number[] {
  if (level === 'township' || level === 'village') return 404;
  return generalRule(role, relation, CURRENT_ALLOWED);
}
/** A published notice: its county's contacts and staff read it on the board; others by the general rule. */
function boardReaders(role: Role, level: ActorLevel, relation: Relation): number | number[] {
  if (level === 'township' || level === 'village') return relation === 'otherBranch' ? 404 : 200;
  return generalRule(role, relation, CURRENT_ALLOWED);
}
let CURRENT_ALLOWED: Role[] | 'all' = 'all';
function generalRule(role: Role, relation: Relation, allowed: Role[] | 'all'): number | number[] {
  const inScope = relation === 'self' || relation === 'child';
  if (!inScope) return 404;
  return allowed === 'all' || allowed.includes(role) ? [200, 201] : [403];
}

/** The county of `code`, or a county under it outside the caller's own region when there is one. */
async function countyUnder(code: string, avoid: string): Promise<string> {
  const level = levelOfCode(code);
  if (level === 'county' || level === 'township' || level === 'village') return code.slice(0, 6) + '000000';
  const range = subtreeRange(code);
  const own = subtreeRange(avoid);
  const counties = await t.db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'county')
    .where('code', '>=', range.from)
    .where('code', '<=', range.to)
    .orderBy('code')
    .execute();
  return (counties.find((c) => c.code < own.from || c.code > own.to) ?? counties[0]).code;
}

function countyContext(county: string, role: Role = 'county_staff', id = 'matrix') {
  return {
    actor: {
      id,
      username: id,
      displayName: '矩阵',
      role,
      regionCode: county,
      regionLevel: 'county' as const,
      sessionIdHash: '',
      mustChangePassword: false,
    },
  };
}

async function channelIn(code: string, caller: Session): Promise<string> {
  const county = await countyUnder(code, caller.user.regionCode);
  return (
    await t.app.services.channels.create(countyContext(county), {
      regionCode: county,
      kind: 'qq_group',
      name: '矩阵群',
    })
  ).id;
}

/** A notice of the county at `code` in the given state (published ones go to one QQ group). */
async function noticeIn(
  code: string,
  caller: Session,
  status: 'draft' | 'submitted' | 'published',
  withAttachment = false,
): Promise<string> {
  const county = await countyUnder(code, caller.user.regionCode);
  const staffCtx = countyContext(county);
  const channel = status === 'published' ? [await channelIn(county, caller)] : [];
  const n = await t.app.services.notices.create(staffCtx, {
    regionCode: county,
    title: '矩阵公告',
    body: '正文',
    channelIds: channel,
    confidentiality: channel.length ? 'public' : 'internal',
    declaredNotClassified: true,
  });
  if (withAttachment)
    await t.app.services.notices.attach(staffCtx, n.id, 1, { fileName: '须知.pdf', buffer: MATRIX_PDF });
  const v = withAttachment ? 2 : 1;
  if (status === 'draft') return n.id;
  await t.app.services.notices.submit(staffCtx, n.id, v);
  if (status === 'submitted') return n.id;
  await t.app.services.notices.approve(countyContext(county, 'county_leader', 'matrix-leader'), n.id, v + 1);
  return n.id;
}

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

/** The key-holding region for `code`: a township or village maps to its county, unless the caller sits below it. */
function keyRegionOf(code: string, caller: Session): string {
  const level = levelOfCode(code);
  if (level !== 'township' && level !== 'village') return code;
  const callerLevel = levelOfCode(caller.user.regionCode);
  return callerLevel === 'township' || callerLevel === 'village' ? code : `${code.slice(0, 6)}000000`;
}

/** A public key PEM from a throwaway key pair of the provider. */
async function freshPublicKeyPem(): Promise<string> {
  return sm2PublicKeyToPem(t.app.platform.crypto.sm2GenerateKeyPair('matrix').publicKey);
}

/** The PUT rows may have registered a foreign key for a region: retire it so this instance signs as it again. */
async function retireRegisteredKey(code: string): Promise<void> {
  await t.db
    .updateTable('region_keys')
    .set({ status: 'retired' })
    .where('region_code', '=', code)
    .where('origin', '=', 'registered')
    .where('status', '=', 'active')
    .execute();
}

/** A package signed by a county under `code` (outside the caller's region when possible) for its city. */
let acceptPeriod = 1900;
async function packageSignedUnder(code: string, caller: Session, period = '2025'): Promise<Buffer> {
  const village = await villageUnder(code, caller.user.regionCode);
  const county = `${village.slice(0, 6)}000000`;
  const city = `${village.slice(0, 4)}00000000`;
  const keys = t.app.services.regionKeys;
  await retireRegisteredKey(county);
  const content: PackageContent = {
    format: PACKAGE_FORMAT,
    returnId: 'matrix',
    template: 'annual',
    period,
    regionCode: county,
    regionName: '矩阵县',
    status: 'submitted',
    submittedAt: null,
    approvedAt: null,
    figures: { families_active: 1 },
    definitionVersions: { families_active: 1 },
    remarks: null,
    preparedBy: null,
    responsiblePerson: null,
    toRegionCode: city,
    packedAt: t.clock.now().toISOString(),
  };
  return buildSignedAndEnveloped(t.app.platform.crypto, {
    content: encodeContent(content),
    sender: await keys.signingKey(county),
    recipient: await keys.recipientKey(city),
    signingTime: t.clock.now(),
  });
}

function uploadPackage(s: Session, content: Buffer, url = '/api/v1/stat-return-packages') {
  const { payload, contentType } = multipartBody({}, { name: 'p.der', content });
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': contentType },
    payload,
  });
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

  for (const endpoint of ENDPOINTS.filter((e) => !e.actorLevels || e.actorLevels.includes(level))) {
    it.each(RELATIONS)(`${endpoint.name} on %s`, async (relation) => {
      const code = relationsFor(level)[relation];
      const inScope = relation === 'self' || relation === 'child';
      const permitted = endpoint.allowed === 'all' || endpoint.allowed.includes(role);
      CURRENT_ALLOWED = endpoint.allowed;
      const expected =
        endpoint.expect?.(role, level, relation) ??
        (endpoint.expectedInScope && inScope
          ? endpoint.expectedInScope(role, code, session.user.regionCode)
          : endpoint.expected?.(relation, permitted)) ??
        (endpoint.kind === 'create' && !permitted
          ? 403
          : !inScope || (role === 'contact' && endpoint.contactSeesNone)
            ? 404
            : permitted
              ? [200, 201]
              : [403]);
      const status = await endpoint.call(session, code);
      if (typeof expected === 'number') expect(status).toBe(expected);
      else expect(expected).toContain(status);
    });
  }
});

/* The people around the families (R12–R15) and the 三个全覆盖. */
const LIAISON_READERS: Role[] = [
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];
const PEOPLE_WRITERS: Role[] = ['township_staff', 'county_staff', 'county_leader'];
const STAFFING_READERS: Role[] = ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'];
const ABOVE_VILLAGE: ActorLevel[] = ['prefecture', 'county', 'township'];
const COUNTY_AND_ABOVE: ActorLevel[] = ['prefecture', 'county'];

/** The region of `level` holding `code`, or under it and outside the caller's region when there is one. */
async function regionAt(code: string, level: 'county' | 'township', caller: Session): Promise<string> {
  const digits = level === 'county' ? 6 : 9;
  if (
    levelOfCode(code) === 'village' ||
    levelOfCode(code) === level ||
    (level === 'county' && levelOfCode(code) === 'township')
  )
    return code.slice(0, digits).padEnd(12, '0');
  const range = subtreeRange(code);
  const own = subtreeRange(caller.user.regionCode);
  const rows = await t.db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', level)
    .where('code', '>=', range.from)
    .where('code', '<=', range.to)
    .orderBy('code')
    .execute();
  return (rows.find((r) => r.code < own.from || r.code > own.to) ?? rows[0]).code;
}

async function liaisonIn(code: string, caller: Session): Promise<string> {
  const township = await regionAt(code, 'township', caller);
  return (
    await t.app.services.liaisons.create(systemContext(township) as never, { regionCode: township, name: '矩阵联络员' })
  ).id;
}

async function trainingIn(code: string, caller: Session): Promise<string> {
  const township = await regionAt(code, 'township', caller);
  const training = await t.app.services.trainings.create(systemContext(township) as never, {
    regionCode: township,
    title: '矩阵培训',
    heldOn: '2026-06-01',
    topics: ['policy'],
    attendeeContactIds: [],
  });
  return training.id;
}

async function pairingIn(code: string, caller: Session): Promise<string> {
  const familyId = await familyIn(code, caller);
  const family = await t.db
    .selectFrom('families')
    .select('region_code')
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  const pairing = await t.app.services.partners.createPairing(
    systemContext(family.region_code.slice(0, 9) + '000') as never,
    familyId,
    { volunteerName: '矩阵志愿者', kind: 'daily_care', startedOn: chinaDate(t.clock.now()) },
  );
  return pairing.id;
}

async function medicalIn(code: string, caller: Session): Promise<{ familyId: string; serviceId: string }> {
  const familyId = await familyIn(code, caller);
  const family = await t.db
    .selectFrom('families')
    .select('region_code')
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  const view = await t.app.services.medicalServices.record(
    systemContext(family.region_code.slice(0, 9) + '000') as never,
    familyId,
    {
      kind: 'priority_access',
      arrangement: 'card',
      institution: '矩阵医院',
      startedOn: chinaDate(t.clock.now()),
    },
  );
  return { familyId, serviceId: view.priorityAccess!.id };
}

/** A region outside scope given as a field of a new object is a bad field (400 naming regionCode): 404 here. */
const createStatus = (res: { statusCode: number; json(): { error?: { details: Array<{ path: string }> } } }) =>
  res.statusCode === 400 && res.json().error?.details[0].path === 'regionCode' ? 404 : res.statusCode;

async function signInSheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('签到表').addRow(['姓名', '手机号码']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

ENDPOINTS.push(
  {
    name: 'GET /liaisons?regionCode=',
    allowed: LIAISON_READERS,
    call: async (s, code) => (await s.get(`/api/v1/liaisons?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /liaisons',
    allowed: PEOPLE_WRITERS,
    kind: 'create',
    call: async (s, code) =>
      createStatus(
        await s.post('/api/v1/liaisons', { regionCode: await regionAt(code, 'township', s), name: '新联络员' }),
      ),
  },
  {
    name: 'GET /liaisons/coverage?regionCode=',
    allowed: LIAISON_READERS,
    call: async (s, code) => (await s.get(`/api/v1/liaisons/coverage?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /liaisons/{id}',
    allowed: LIAISON_READERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) => (await s.get(`/api/v1/liaisons/${await liaisonIn(code, s)}`)).statusCode,
  },
  {
    name: 'PATCH /liaisons/{id}',
    allowed: PEOPLE_WRITERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) =>
      (await s.patch(`/api/v1/liaisons/${await liaisonIn(code, s)}`, { version: 1, name: '改名' })).statusCode,
  },
  {
    name: 'GET /liaisons/{id}/reports',
    allowed: LIAISON_READERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) => (await s.get(`/api/v1/liaisons/${await liaisonIn(code, s)}/reports`)).statusCode,
  },
  {
    name: 'POST /liaisons/{id}/reports',
    allowed: PEOPLE_WRITERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/liaisons/${await liaisonIn(code, s)}/reports`, {
          reportedOn: chinaDate(t.clock.now()),
          content: '反映情况',
        })
      ).statusCode,
  },
  {
    name: 'GET /liaisons/{id}/subsidies',
    allowed: LIAISON_READERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) => (await s.get(`/api/v1/liaisons/${await liaisonIn(code, s)}/subsidies`)).statusCode,
  },
  {
    name: 'POST /liaisons/{id}/subsidies',
    allowed: PEOPLE_WRITERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) => {
      const township = await regionAt(code, 'township', s);
      const id = await liaisonIn(township, s);
      return (
        await s.post(`/api/v1/liaisons/${id}/subsidies`, {
          period: chinaDate(t.clock.now()).slice(0, 7),
          kind: 'phone',
          amount: 50,
          payerRegionCode: township,
          paidOn: chinaDate(t.clock.now()),
        })
      ).statusCode;
    },
  },
  {
    name: 'PUT /liaison-programmes/{countyCode}',
    allowed: ['county_staff', 'county_leader'],
    actorLevels: COUNTY_AND_ABOVE,
    call: async (s, code) =>
      (await s.put(`/api/v1/liaison-programmes/${await regionAt(code, 'county', s)}`, { isRunning: true })).statusCode,
  },
  {
    name: 'GET /liaison-subsidies/totals?regionCode=',
    allowed: LIAISON_READERS,
    call: async (s, code) => (await s.get(`/api/v1/liaison-subsidies/totals?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /liaison-subsidies/export.xlsx?regionCode=',
    allowed: LIAISON_READERS,
    call: async (s, code) => (await s.get(`/api/v1/liaison-subsidies/export.xlsx?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /county-staffing?regionCode=',
    allowed: STAFFING_READERS,
    call: async (s, code) => (await s.get(`/api/v1/county-staffing?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /county-staffing/summary?regionCode=',
    allowed: STAFFING_READERS,
    call: async (s, code) => (await s.get(`/api/v1/county-staffing/summary?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /county-staffing/{countyCode}',
    allowed: STAFFING_READERS,
    actorLevels: COUNTY_AND_ABOVE,
    call: async (s, code) => (await s.get(`/api/v1/county-staffing/${await regionAt(code, 'county', s)}`)).statusCode,
  },
  {
    name: 'PUT /county-staffing/{countyCode}',
    allowed: ['county_staff', 'county_leader'],
    actorLevels: COUNTY_AND_ABOVE,
    call: async (s, code) =>
      (
        await s.put(`/api/v1/county-staffing/${await regionAt(code, 'county', s)}`, {
          leader: { name: '矩阵领导' },
          staff: [],
        })
      ).statusCode,
  },
  // R9 电子备份: a county's own copy; the city above reads its returns, not a copy of its records (403).
  {
    name: 'GET /county-copy/manifest?regionCode=',
    allowed: ['county_staff', 'county_leader'],
    actorLevels: COUNTY_AND_ABOVE,
    call: async (s, code) =>
      (await s.get(`/api/v1/county-copy/manifest?regionCode=${await regionAt(code, 'county', s)}`)).statusCode,
  },
  {
    name: 'GET /county-copy?regionCode=',
    allowed: ['county_staff', 'county_leader'],
    actorLevels: COUNTY_AND_ABOVE,
    call: async (s, code) =>
      (await s.get(`/api/v1/county-copy?regionCode=${await regionAt(code, 'county', s)}`)).statusCode,
  },
  {
    name: 'GET /partner-organizations?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/partner-organizations?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /partner-organizations',
    allowed: PEOPLE_WRITERS,
    kind: 'create',
    call: async (s, code) =>
      createStatus(
        await s.post('/api/v1/partner-organizations', {
          regionCode: await regionAt(code, 'township', s),
          kind: 'social_work',
          name: '矩阵社工站',
        }),
      ),
  },
  {
    name: 'GET /families/{id}/pairings',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/pairings`)).statusCode,
  },
  {
    name: 'POST /families/{id}/pairings',
    allowed: PEOPLE_WRITERS,
    contactSeesNone: true,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/families/${await familyIn(code, s)}/pairings`, {
          volunteerName: '志愿者',
          kind: 'emotional_support',
          startedOn: chinaDate(t.clock.now()),
        })
      ).statusCode,
  },
  {
    name: 'GET /pairings?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/pairings?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /pairings/coverage?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/pairings/coverage?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /pairings/{id}/activities',
    allowed: PEOPLE_WRITERS,
    contactSeesNone: true,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/pairings/${await pairingIn(code, s)}/activities`, {
          occurredOn: chinaDate(t.clock.now()),
          kind: 'daily_care',
        })
      ).statusCode,
  },
  {
    name: 'POST /pairings/{id}/end',
    allowed: PEOPLE_WRITERS,
    contactSeesNone: true,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/pairings/${await pairingIn(code, s)}/end`, {
          version: 1,
          endedOn: chinaDate(t.clock.now()),
          reason: '家庭不再需要',
        })
      ).statusCode,
  },
  {
    name: 'GET /trainings?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/trainings?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /trainings',
    allowed: PEOPLE_WRITERS,
    kind: 'create',
    call: async (s, code) =>
      createStatus(
        await s.post('/api/v1/trainings', {
          regionCode: await regionAt(code, 'township', s),
          title: '矩阵培训',
          heldOn: chinaDate(t.clock.now()),
          topics: ['counselling'],
          attendeeContactIds: [],
        }),
      ),
  },
  {
    name: 'GET /trainings/coverage?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/trainings/coverage?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /trainings/untrained?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/trainings/untrained?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /contacts/{id}/trainings',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/contacts/${await contactIn(code, s)}/trainings`)).statusCode,
  },
  {
    name: 'GET /trainings/{id}',
    allowed: SUPERVISORS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) => (await s.get(`/api/v1/trainings/${await trainingIn(code, s)}`)).statusCode,
  },
  {
    name: 'PUT /trainings/{id}/attendance',
    allowed: PEOPLE_WRITERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) =>
      (await s.put(`/api/v1/trainings/${await trainingIn(code, s)}/attendance`, { version: 1, contactIds: [] }))
        .statusCode,
  },
  {
    name: 'POST /trainings/{id}/attendance-import',
    allowed: PEOPLE_WRITERS,
    actorLevels: ABOVE_VILLAGE,
    call: async (s, code) => {
      const { payload, contentType } = multipartBody(
        { mode: 'validate' },
        { name: '签到表.xlsx', content: await signInSheet() },
      );
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/trainings/${await trainingIn(code, s)}/attendance-import`,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': contentType },
        payload,
      });
      return res.statusCode;
    },
  },
  {
    name: 'GET /families/{id}/medical-services',
    allowed: FAMILY_READERS,
    contactSeesNone: true,
    call: async (s, code) => (await s.get(`/api/v1/families/${await familyIn(code, s)}/medical-services`)).statusCode,
  },
  {
    name: 'POST /families/{id}/medical-services',
    allowed: ['village_staff', 'township_staff'],
    contactSeesNone: true,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/families/${await familyIn(code, s)}/medical-services`, {
          kind: 'family_doctor',
          institution: '卫生院',
          doctor: '医生',
          startedOn: chinaDate(t.clock.now()),
        })
      ).statusCode,
  },
  {
    name: 'POST /families/{id}/medical-services/{serviceId}/end',
    allowed: ['village_staff', 'township_staff'],
    contactSeesNone: true,
    call: async (s, code) => {
      const { familyId, serviceId } = await medicalIn(code, s);
      return (
        await s.post(`/api/v1/families/${familyId}/medical-services/${serviceId}/end`, {
          endedOn: chinaDate(t.clock.now()),
          reason: '迁出',
        })
      ).statusCode;
    },
  },
  {
    name: 'GET /medical-services/coverage?regionCode=',
    allowed: SUPERVISORS,
    call: async (s, code) => (await s.get(`/api/v1/medical-services/coverage?regionCode=${code}`)).statusCode,
  },
);

/* The sample survey (R16): a survey held at `code` with one sampled family under it, assigned to the caller. */
const SURVEY_READERS: Role[] = ['prefecture_staff', 'province_staff'];
const DISCREPANCY_READERS: Role[] = ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'];
/** A survey above the caller is theirs to read (a city reads the province's survey); its families stay 404. */
const surveyAbove = (relation: Relation, permitted: boolean) =>
  relation === 'parent' ? (permitted ? 200 : 403) : undefined;

async function surveyFamilyIn(code: string, caller: Session): Promise<{ surveyId: string; familyId: string }> {
  const familyId = await familyIn(code, caller);
  const family = await t.db
    .selectFrom('families')
    .select(['region_code'])
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  const surveyId = randomUUID();
  const county = `${family.region_code.slice(0, 6)}000000`;
  await t.db
    .insertInto('sample_surveys')
    .values({
      id: surveyId,
      year: 2026,
      region_code: code,
      frame_date: '2026-11-01',
      seed: 'matrix',
      rate: 0.01,
      q: 0.5,
      min_per_county: 1,
      allocation_rule: 'power-allocation/v1',
      prng: 'xoroshiro128plus',
      prng_version: 'pure-rand@8.4.2',
      replace_unreachable: 0,
      frame_size: 1,
      sample_size: 1,
      frame_digest: 'matrix',
      status: 'fieldwork',
      created_by: caller.user.id,
      created_at: new Date().toISOString(),
      version: 1,
    })
    .execute();
  await t.db
    .insertInto('sample_survey_strata')
    .values({
      survey_id: surveyId,
      county_code: county,
      family_type: 'bereaved',
      population: 1,
      sample: 1,
      quota: 1,
      reserves_used: 0,
    })
    .execute();
  await t.db
    .insertInto('sample_survey_frame')
    .values({
      survey_id: surveyId,
      family_id: familyId,
      region_code: family.region_code,
      county_code: county,
      family_type: 'bereaved',
    })
    .execute();
  await t.db
    .insertInto('sample_survey_families')
    .values({
      survey_id: surveyId,
      family_id: familyId,
      region_code: family.region_code,
      county_code: county,
      family_type: 'bereaved',
      draw_rank: 0,
      pi: 1,
      weight: 1,
      replaces_family_id: null,
      status: 'pending',
      attempts: 0,
      surveyor_id: caller.user.id,
      assigned_at: new Date().toISOString(),
      finished_at: null,
      version: 1,
    })
    .execute();
  return { surveyId, familyId };
}

async function discrepancyIn(code: string, caller: Session): Promise<string> {
  const { surveyId, familyId } = await surveyFamilyIn(code, caller);
  const family = await t.db
    .selectFrom('families')
    .select(['region_code'])
    .where('id', '=', familyId)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  await t.db
    .insertInto('survey_discrepancies')
    .values({
      id,
      survey_id: surveyId,
      family_id: familyId,
      region_code: family.region_code,
      code: 'VISIT_DENIED',
      message: '矩阵',
      status: 'open',
      explanation: null,
      explained_by: null,
      explained_at: null,
      created_at: new Date().toISOString(),
      version: 1,
    })
    .execute();
  return id;
}

ENDPOINTS.push(
  {
    name: 'POST /sample-surveys',
    allowed: ['province_staff'],
    kind: 'create',
    call: async (s, code) =>
      (await s.post('/api/v1/sample-surveys', { year: 2026, frameDate: '2026-11-01', seed: 'm', regionCode: code }))
        .statusCode,
  },
  {
    name: 'GET /sample-surveys/{id}',
    allowed: SURVEY_READERS,
    expected: surveyAbove,
    call: async (s, code) =>
      (await s.get(`/api/v1/sample-surveys/${(await surveyFamilyIn(code, s)).surveyId}`)).statusCode,
  },
  {
    name: 'GET /sample-surveys/{id}/reproduction',
    allowed: SURVEY_READERS,
    expected: surveyAbove,
    call: async (s, code) =>
      (await s.get(`/api/v1/sample-surveys/${(await surveyFamilyIn(code, s)).surveyId}/reproduction`)).statusCode,
  },
  {
    name: 'GET /sample-surveys/{id}/families',
    allowed: SURVEY_READERS,
    expected: surveyAbove,
    call: async (s, code) =>
      (await s.get(`/api/v1/sample-surveys/${(await surveyFamilyIn(code, s)).surveyId}/families`)).statusCode,
  },
  {
    name: 'GET /sample-surveys/{id}/estimates',
    allowed: SURVEY_READERS,
    expected: surveyAbove,
    call: async (s, code) =>
      (await s.get(`/api/v1/sample-surveys/${(await surveyFamilyIn(code, s)).surveyId}/estimates`)).statusCode,
  },
  {
    name: 'GET /sample-surveys/{id}/surveyors',
    allowed: ['province_staff'],
    expected: surveyAbove,
    call: async (s, code) =>
      (await s.get(`/api/v1/sample-surveys/${(await surveyFamilyIn(code, s)).surveyId}/surveyors`)).statusCode,
  },
  {
    name: 'POST /sample-surveys/{id}/assignments',
    allowed: ['province_staff'],
    expected: surveyAbove,
    call: async (s, code) => {
      const { surveyId, familyId } = await surveyFamilyIn(code, s);
      return (
        await s.post(`/api/v1/sample-surveys/${surveyId}/assignments`, { surveyorId: s.user.id, familyIds: [familyId] })
      ).statusCode;
    },
  },
  {
    name: 'GET /sample-surveys/{id}/families/{familyId}',
    allowed: SURVEY_READERS,
    call: async (s, code) => {
      const { surveyId, familyId } = await surveyFamilyIn(code, s);
      return (await s.get(`/api/v1/sample-surveys/${surveyId}/families/${familyId}`)).statusCode;
    },
  },
  {
    name: 'POST /sample-surveys/{id}/families/{familyId}/phone',
    allowed: SURVEY_READERS,
    call: async (s, code) => {
      const { surveyId, familyId } = await surveyFamilyIn(code, s);
      return (await s.post(`/api/v1/sample-surveys/${surveyId}/families/${familyId}/phone`, {})).statusCode;
    },
  },
  {
    name: 'POST /sample-surveys/{id}/responses',
    allowed: SURVEY_READERS,
    call: async (s, code) => {
      const { surveyId, familyId } = await surveyFamilyIn(code, s);
      return (await s.post(`/api/v1/sample-surveys/${surveyId}/responses`, { familyId, mode: 'phone', reached: false }))
        .statusCode;
    },
  },
  {
    name: 'GET /survey-discrepancies?regionCode=',
    allowed: DISCREPANCY_READERS,
    call: async (s, code) => (await s.get(`/api/v1/survey-discrepancies?regionCode=${code}`)).statusCode,
  },
  {
    name: 'POST /survey-discrepancies/{id}/explain',
    allowed: ['county_staff', 'county_leader'],
    call: async (s, code) =>
      (
        await s.post(`/api/v1/survey-discrepancies/${await discrepancyIn(code, s)}/explain`, {
          version: 1,
          explanation: '已核实',
        })
      ).statusCode,
  },
);

/* 问责 (R17): a case belongs to the unit's county; petition-grade need-to-know (404 to a role without it). */
const CASE_ROLES: Role[] = ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'];
async function accountabilityCaseIn(code: string): Promise<string> {
  const id = randomUUID();
  await t.db
    .insertInto('accountability_cases')
    .values({
      id,
      region_code: code.slice(0, 6) + '000000',
      unit_region_code: code,
      family_id: null,
      petition_event_id: null,
      trigger: 'manual',
      reason: '矩阵问责',
      year: 2026,
      status: 'open',
      evidence: JSON.stringify({
        assembledAt: new Date().toISOString(),
        windowFrom: '2026-01-01',
        windowTo: '2026-03-31',
        petition: null,
        unit: null,
        contacts: [],
        homeVisits: [],
        petitionRisks: [],
        openNeeds: [],
        majorEvents: [],
        summary: [],
      }),
      opened_at: new Date().toISOString(),
      opened_by: 'matrix',
      opened_by_name: '矩阵',
      finding: null,
      measures: null,
      people: '[]',
      concluded_at: null,
      concluded_by: null,
      concluded_by_name: null,
      version: 1,
    })
    .execute();
  return id;
}
const needToKnow = (relation: Relation, permitted: boolean) => (permitted ? undefined : 404);
ENDPOINTS.push(
  {
    name: 'GET /accountability-cases?regionCode=',
    allowed: CASE_ROLES,
    call: async (s, code) => (await s.get(`/api/v1/accountability-cases?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /accountability-cases/{id}',
    allowed: CASE_ROLES,
    expected: needToKnow,
    call: async (s, code) =>
      (await s.get(`/api/v1/accountability-cases/${await accountabilityCaseIn(code)}`)).statusCode,
  },
  {
    name: 'POST /accountability-cases/{id}/conclude',
    allowed: CASE_ROLES,
    expected: needToKnow,
    call: async (s, code) =>
      (
        await s.post(`/api/v1/accountability-cases/${await accountabilityCaseIn(code)}/conclude`, {
          finding: 'performed',
          measures: '已核实，已履职',
          version: 1,
        })
      ).statusCode,
  },
  {
    name: 'POST /accountability-cases (by hand against a unit)',
    allowed: CASE_ROLES,
    // A city or the province is not a unit under review: 400 naming regionCode.
    expectedInScope: (role, code) =>
      !CASE_ROLES.includes(role) ? [403] : ['province', 'prefecture'].includes(levelOfCode(code)) ? [400] : [201],
    call: async (s, code) =>
      (await s.post('/api/v1/accountability-cases', { regionCode: code, reason: '矩阵人工启动问责' })).statusCode,
  },
);

/* 表彰 (R17): ranked per city; a region of another level is refused by name (400). */
const COMMENDATION_READERS: Role[] = ['prefecture_staff', 'province_staff'];
const cityOnly = (role: Role, code: string) =>
  !COMMENDATION_READERS.includes(role) ? [403] : levelOfCode(code) === 'prefecture' ? [200] : [400];
ENDPOINTS.push(
  {
    name: 'GET /commendation-candidates?regionCode=',
    allowed: COMMENDATION_READERS,
    expectedInScope: cityOnly,
    call: async (s, code) => (await s.get(`/api/v1/commendation-candidates?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /commendation-lists?regionCode=',
    allowed: COMMENDATION_READERS,
    expectedInScope: cityOnly,
    call: async (s, code) => (await s.get(`/api/v1/commendation-lists?regionCode=${code}`)).statusCode,
  },
);

/* 考核: a scheme is run by a province or a city; a draft is seen from its region up (404 below and beside). */
const ASSESSMENT_READERS: Role[] = ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'];
const ASSESSMENT_MANAGERS: Role[] = ['prefecture_staff', 'province_staff'];
async function assessmentSchemeIn(code: string): Promise<string> {
  const id = randomUUID();
  const region = levelOfCode(code) === 'province' ? code : code.slice(0, 4) + '00000000';
  await t.db
    .insertInto('assessment_schemes')
    .values({
      id,
      region_code: region,
      year: 2026,
      name: '矩阵考核',
      survey_id: null,
      definition: JSON.stringify({
        items: [
          { source: 'indicator', code: 'home_visit_rate', weight: 100, direction: 'higher', floor: 0, target: 100 },
        ],
        deductions: [],
      }),
      status: 'draft',
      snapshot: null,
      created_by: 'matrix',
      created_at: new Date().toISOString(),
      published_at: null,
      published_by_name: null,
      version: 1,
    })
    .execute();
  return id;
}
/** A draft lives at a city: only the city's own level (and above) has it in scope. */
const cityDraft = (allowed: Role[]) => (role: Role, level: ActorLevel, relation: Relation) =>
  level !== 'prefecture' ? 404 : generalRule(role, relation, allowed);
ENDPOINTS.push(
  {
    name: 'GET /assessment-schemes?regionCode=',
    allowed: ASSESSMENT_READERS,
    call: async (s, code) => (await s.get(`/api/v1/assessment-schemes?regionCode=${code}`)).statusCode,
  },
  {
    name: 'GET /assessment-schemes/{id}/result (a draft)',
    allowed: ASSESSMENT_READERS,
    expect: cityDraft(ASSESSMENT_READERS),
    call: async (s, code) =>
      (await s.get(`/api/v1/assessment-schemes/${await assessmentSchemeIn(code)}/result`)).statusCode,
  },
  {
    name: 'POST /assessment-schemes/{id}/publish',
    allowed: ASSESSMENT_MANAGERS,
    expect: cityDraft(ASSESSMENT_MANAGERS),
    call: async (s, code) =>
      (await s.post(`/api/v1/assessment-schemes/${await assessmentSchemeIn(code)}/publish`, { version: 1 })).statusCode,
  },
  {
    name: 'POST /assessment-schemes',
    allowed: ASSESSMENT_MANAGERS,
    // Run by the actor's own province or city; a county or below is not a scheme's level (400 naming regionCode).
    expectedInScope: (role, code, actorRegion) =>
      !ASSESSMENT_MANAGERS.includes(role)
        ? [403]
        : !['province', 'prefecture'].includes(levelOfCode(code))
          ? [400]
          : code === actorRegion
            ? [201]
            : [403],
    call: async (s, code) =>
      (
        await s.post('/api/v1/assessment-schemes', {
          regionCode: code,
          year: 2026,
          name: '矩阵考核',
          items: [{ source: 'indicator', code: 'home_visit_rate', weight: 100, floor: 0, target: 100 }],
        })
      ).statusCode,
  },
);

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

describe('reveal requests are listed only over the approver’s region', () => {
  it('GET /reveal-requests shows a township its own requests, not a sibling’s or another branch’s; a village only its own', async () => {
    const inside = await revealRequestIn(tree.township, sysadmin);
    const sibling = await revealRequestIn(tree.siblingTownship, sysadmin);
    const outside = await revealRequestIn(other.township, sysadmin);
    const ids = async (s: Session) =>
      ((await s.get('/api/v1/reveal-requests?pageSize=200')).json().data as Array<{ id: string }>).map((r) => r.id);
    const township = await ids(await t.signIn('township_staff', tree.township));
    expect(township).toContain(inside);
    expect(township).not.toContain(sibling);
    expect(township).not.toContain(outside);
    const county = await ids(await t.signIn('county_staff', tree.county));
    expect(county).toEqual(expect.arrayContaining([inside, sibling]));
    expect(county).not.toContain(outside);
    expect(await ids(await t.signIn('village_staff', tree.village))).toEqual([]);
  });
});

describe('the audit log carries only the auditor’s subtree', () => {
  it('GET /audit-events and its export show events of families in scope, not of a sibling or another branch', async () => {
    const made: Record<string, string> = {};
    for (const [name, village, township] of [
      ['self', tree.village, tree.township],
      ['sibling', tree.siblingVillage, tree.township],
      ['otherBranch', other.village, other.township],
    ] as const) {
      const writer = await t.signIn('township_staff', township);
      const res = await writer.post('/api/v1/families', familyInput(village));
      made[name] = (res.json().data as { archiveNo: string }).archiveNo;
    }
    const auditor = await t.signIn('auditor', tree.village);
    const labels = (
      (await auditor.get('/api/v1/audit-events?pageSize=200')).json().data as Array<{ targetLabel: string }>
    ).map((e) => e.targetLabel);
    expect(labels).toContain(made.self);
    expect(labels).not.toContain(made.sibling);
    expect(labels).not.toContain(made.otherBranch);
    const xlsx = await auditor.get('/api/v1/audit-events.xlsx');
    expect(xlsx.statusCode).toBe(200);
  });
});
