/**
 * Exactly-once phone-side POSTs (issue #17, DESIGN.md §5.2): `Idempotency-Key: <uuid>` on the contact-log,
 * festival-care, major-event, petition-risk and need POSTs. A replay answers with the first answer and writes
 * nothing; another body under the key is 409 IDEMPOTENCY_MISMATCH; a key that is no UUID is 400; another
 * user's same key is another key; 20 concurrent sends of one key leave one row; keys are purged after 30 days.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_RETENTION_DAYS } from '../../server/modules/idempotency/idempotency.service.js';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
import type { Session } from '../support/test-app.js';
let s: ContactTeam;

beforeAll(async () => {
  s = await buildContactTeam({ userAtTestClock: true });
});
afterAll(() => s.t.close());

async function family(): Promise<string> {
  return (await s.family()).family.id;
}

/** A POST as the session sends it, with an Idempotency-Key header. */
function send(session: Session, url: string, body: Record<string, unknown>, key: string) {
  return s.t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'idempotency-key': key },
    payload: body,
  });
}

const visit = (occurredAt = new Date(s.t.clock.now().getTime() - 3_600_000).toISOString()) => ({
  contactId: s.contactId,
  mode: 'home_visit',
  occurredAt,
  health: '良好',
  notes: '走访记录',
});

async function logCount(familyId: string): Promise<number> {
  const row = await s.t.db
    .selectFrom('contact_logs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('family_id', '=', familyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditCount(action: string): Promise<number> {
  const row = await s.t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('Idempotency-Key on POST /families/{id}/contact-logs', () => {
  it('answers a replay with the first answer (status, body, id) and writes nothing more', async () => {
    const familyId = await family();
    const key = randomUUID();
    const audits = await auditCount('contactLog.create');
    const first = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, visit(), key);
    expect(first.statusCode, first.body).toBe(201);
    const body = visit(first.json().data.occurredAt);
    // The same meaning with the keys in another order is the same body.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    for (const again of [body, reordered]) {
      const replay = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, again, key);
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toEqual(first.json());
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    expect(await logCount(familyId)).toBe(1);
    expect(await auditCount('contactLog.create')).toBe(audits + 1);
  });

  it('refuses another body under the same key with 409 IDEMPOTENCY_MISMATCH, and a key that is no UUID with 400', async () => {
    const familyId = await family();
    const key = randomUUID();
    const body = visit();
    expect((await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, body, key)).statusCode).toBe(201);
    const changed = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, { ...body, notes: '改了' }, key);
    expect(changed.statusCode).toBe(409);
    expect(changed.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
    expect(changed.json().error.message).toMatch(/幂等键/);
    // The same body for another family is another request too.
    const other = await family();
    const elsewhere = await send(s.contact, `/api/v1/families/${other}/contact-logs`, body, key);
    expect(elsewhere.statusCode).toBe(409);
    expect(await logCount(familyId)).toBe(1);
    expect(await logCount(other)).toBe(0);

    for (const bad of ['not-a-uuid', '', `${randomUUID()}x`, "1' or '1'='1"]) {
      const res = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, visit(), bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.details[0]).toMatchObject({
        path: 'headers.idempotency-key',
        code: 'IDEMPOTENCY_KEY_INVALID',
      });
    }
    expect(await logCount(familyId)).toBe(1);
  });

  it("treats another user's identical key as another key: no leak of the first answer", async () => {
    const familyId = await family();
    const key = randomUUID();
    const mine = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, visit(), key);
    expect(mine.statusCode).toBe(201);
    // Township staff log on the contact's behalf under the very same key: a new record, their own answer.
    const theirs = await send(s.township, `/api/v1/families/${familyId}/contact-logs`, visit(), key);
    expect(theirs.statusCode, theirs.body).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.json().data.id).not.toBe(mine.json().data.id);
    expect(theirs.json().data.isOnBehalf).toBe(true);
    // A user with no access to the family gets the ordinary 404, not the stored answer.
    const stranger = await s.t.signIn('county_staff', s.tree.siblingCounty);
    const probe = await send(stranger, `/api/v1/families/${familyId}/contact-logs`, visit(), key);
    expect(probe.statusCode).toBe(404);
    expect(probe.body).not.toContain(mine.json().data.id);
    expect(await logCount(familyId)).toBe(2);
  });

  it('does not keep a refusal: the corrected record is accepted under the same key', async () => {
    const familyId = await family();
    const key = randomUUID();
    const future = new Date(s.t.clock.now().getTime() + 3_600_000).toISOString();
    const refused = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, visit(future), key);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0]).toMatchObject({ path: 'occurredAt', code: 'DATE_FUTURE' });
    expect(refused.json().error.message).toMatch(/不能晚于现在/);
    const corrected = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, visit(), key);
    expect(corrected.statusCode).toBe(201);
    expect(await logCount(familyId)).toBe(1);
  });

  it('counts an offline visit in the month it happened, also when sent in the next month', async () => {
    const familyId = await family();
    const now = s.t.clock.now();
    // A visit on the last evening of the previous month (China time), sent today.
    const [y, m] = chinaDate(now).split('-').map(Number) as [number, number];
    const lastOfPrevious = new Date(Date.UTC(y, m - 1, 1) - 8 * 3_600_000 - 2 * 3_600_000); // 22:00 China time
    const previousMonth = chinaDate(lastOfPrevious).slice(0, 7);
    const res = await send(
      s.contact,
      `/api/v1/families/${familyId}/contact-logs`,
      visit(lastOfPrevious.toISOString()),
      randomUUID(),
    );
    expect(res.statusCode, res.body).toBe(201);
    const row = await s.t.db
      .selectFrom('family_months')
      .select(['month', 'home_visits'])
      .where('family_id', '=', familyId)
      .execute();
    const visited = row.filter((r) => Number(r.home_visits) > 0);
    expect(visited.map((r) => ({ month: r.month, homeVisits: Number(r.home_visits) }))).toEqual([
      { month: previousMonth, homeVisits: 1 },
    ]);
  });

  it('leaves one record after 20 concurrent sends of one key, every answer the same', async () => {
    const familyId = await family();
    const key = randomUUID();
    const body = visit();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => send(s.contact, `/api/v1/families/${familyId}/contact-logs`, body, key)),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(new Set(statuses), answers.find((a) => a.statusCode !== 201)?.body).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.json().data.id)).size).toBe(1);
    expect(await logCount(familyId)).toBe(1);
    const facts = await s.t.db
      .selectFrom('family_months')
      .select('home_visits')
      .where('family_id', '=', familyId)
      .execute();
    expect(facts.map((f) => Number(f.home_visits))).toEqual([1]);
    const keys = await s.t.db
      .selectFrom('idempotency_keys')
      .select('key')
      .where('user_id', '=', s.contact.user.id)
      .where('key', '=', key)
      .execute();
    expect(keys).toHaveLength(1);
  });

  it('purges keys after the retention, and only then', async () => {
    const familyId = await family();
    const key = randomUUID();
    const body = visit();
    expect((await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, body, key)).statusCode).toBe(201);
    const later = (days: number) => new Date(s.t.clock.now().getTime() + days * 86_400_000);
    await s.t.app.services.idempotency.purge(later(IDEMPOTENCY_RETENTION_DAYS - 1));
    const kept = await send(s.contact, `/api/v1/families/${familyId}/contact-logs`, body, key);
    expect(kept.headers['idempotent-replayed']).toBe('true');
    expect(await s.t.app.services.idempotency.purge(later(IDEMPOTENCY_RETENTION_DAYS + 1))).toBeGreaterThan(0);
    const rows = await s.t.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute();
    expect(rows).toHaveLength(0);
  });
});

describe('Idempotency-Key on the other phone-side POSTs', () => {
  const cases: Array<{
    name: string;
    url: (familyId: string) => string;
    body: (familyId: string) => Record<string, unknown>;
    change: Record<string, unknown>;
    table: 'festival_care' | 'major_events' | 'petition_risks' | 'needs';
  }> = [
    {
      name: 'festival care',
      url: (f) => `/api/v1/families/${f}/festival-care`,
      body: () => ({
        year: 2026,
        festival: 'mid_autumn',
        manner: 'goods',
        goods: '月饼',
        caredOn: chinaDate(s.t.clock.now()),
        outsideWindowReason: '节后补登',
      }),
      change: { goods: '米油' },
      table: 'festival_care',
    },
    {
      name: 'major events',
      url: (f) => `/api/v1/families/${f}/events`,
      body: () => ({
        kind: 'serious_illness',
        affectedRelation: 'mother',
        occurredAt: new Date(s.t.clock.now().getTime() - 7_200_000).toISOString(),
      }),
      change: { description: '住院' },
      table: 'major_events',
    },
    {
      name: 'petition tendencies',
      url: (f) => `/api/v1/families/${f}/petition-risks`,
      body: () => ({ targetLevel: 'county', scope: 'individual', riskLevel: 'blue', signals: '对补贴有疑问' }),
      change: { riskLevel: 'yellow' },
      table: 'petition_risks',
    },
    {
      name: 'needs',
      url: () => '/api/v1/needs',
      body: (f) => ({
        familyId: f,
        category: 'housing',
        department: 'housing',
        description: '房屋漏雨',
        deadline: '2026-12-31',
      }),
      change: { description: '房屋漏雨严重' },
      table: 'needs',
    },
  ];

  for (const c of cases)
    it(`${c.name}: replay answers the first answer once, another body is 409, concurrent sends leave one row`, async () => {
      const familyId = await family();
      const count = async () =>
        Number(
          (
            await s.t.db
              .selectFrom(c.table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('family_id', '=', familyId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const key = randomUUID();
      const first = await send(s.contact, c.url(familyId), c.body(familyId), key);
      expect(first.statusCode, first.body).toBe(201);
      const replay = await send(s.contact, c.url(familyId), c.body(familyId), key);
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toEqual(first.json());
      const changed = await send(s.contact, c.url(familyId), { ...c.body(familyId), ...c.change }, key);
      expect(changed.statusCode).toBe(409);
      expect(changed.json().error.code).toBe('IDEMPOTENCY_MISMATCH');
      expect(await count()).toBe(1);

      const other = await family();
      const key2 = randomUUID();
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => send(s.contact, c.url(other), c.body(other), key2)),
      );
      expect(answers.map((a) => a.statusCode)).toEqual(Array(5).fill(201));
      expect(new Set(answers.map((a) => a.json().data.id)).size).toBe(1);
    });
});
