import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../server/platform/clock.js';
import { buildContactTeam, type ContactTeam } from '../support/contact-team.js';
/** Handling a petition risk and recording an actual petition on the archive page (R7). */
let s: ContactTeam;
let townshipName: string;

beforeAll(async () => {
  s = await buildContactTeam();
  townshipName = (
    await s.t.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', s.township.user.id)
      .executeTakeFirstOrThrow()
  ).display_name;
});
afterAll(() => s.t.close());

async function family() {
  const { family: f } = await s.family();
  return f as { id: string };
}

async function risk(familyId: string) {
  const res = await s.contact.post(`/api/v1/families/${familyId}/petition-risks`, {
    targetLevel: 'prefecture',
    scope: 'individual',
    riskLevel: 'yellow',
    signals: '对养老补贴发放有意见',
  });
  expect(res.statusCode).toBe(201);
  return res.json().data as { id: string };
}

interface Risks {
  risks: Array<{
    id: string;
    status: string;
    reviewDate: string | null;
    handlings: Array<{ kind: string; note: string; handledBy: string | null }>;
  }>;
  events: Array<{ riskId: string | null; level: string; size: number; occurredOn: string }>;
}

const risksOf = async (familyId: string) =>
  (await s.township.get(`/api/v1/families/${familyId}/petition-risks`)).json().data as Risks;

describe('petition handling and petition events (R7)', () => {
  it('keeps each handling with who wrote it; refuses "resolved" before a home visit and stores nothing then', async () => {
    const f = await family();
    const r = await risk(f.id);

    const early = await s.township.post(`/api/v1/petition-risks/${r.id}/handlings`, {
      kind: 'counselled',
      note: '电话疏导',
      resolve: true,
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details[0]).toMatchObject({ path: 'resolve', code: 'NOT_VISITED' });
    expect((await risksOf(f.id)).risks[0].handlings).toEqual([]);

    const handled = await s.township.post(`/api/v1/petition-risks/${r.id}/handlings`, {
      kind: 'learned',
      note: '上门了解，对补贴标准有疑问',
      reviewDate: '2026-12-15',
    });
    expect(handled.statusCode).toBe(201);
    const after = (await risksOf(f.id)).risks[0];
    expect(after).toMatchObject({ status: 'open', reviewDate: '2026-12-15' });
    expect(after.handlings).toEqual([
      expect.objectContaining({ kind: 'learned', note: '上门了解，对补贴标准有疑问', handledBy: townshipName }),
    ]);
  });

  it('records a petition linked to the family’s own risk, and refuses another family’s risk or a future date', async () => {
    const f = await family();
    const other = await family();
    const own = await risk(f.id);
    const foreign = await risk(other.id);
    const today = chinaDate(s.t.clock.now());

    const wrongRisk = await s.township.post(`/api/v1/families/${f.id}/petition-events`, {
      level: 'prefecture',
      form: 'visit',
      size: 1,
      occurredOn: today,
      riskId: foreign.id,
    });
    expect(wrongRisk.statusCode).toBe(400);
    expect(wrongRisk.json().error.details[0]).toMatchObject({ path: 'riskId', code: 'RISK_UNKNOWN' });

    const tomorrow = chinaDate(new Date(s.t.clock.now().getTime() + 86_400_000));
    const future = await s.township.post(`/api/v1/families/${f.id}/petition-events`, {
      level: 'prefecture',
      form: 'letter',
      size: 1,
      occurredOn: tomorrow,
    });
    expect(future.json().error.details[0]).toMatchObject({ path: 'occurredOn', code: 'DATE_FUTURE' });
    expect((await risksOf(f.id)).events).toEqual([]);

    const ok = await s.township.post(`/api/v1/families/${f.id}/petition-events`, {
      level: 'prefecture',
      form: 'visit',
      size: 3,
      occurredOn: today,
      outcome: '市信访局接待，当场答复',
      riskId: own.id,
    });
    expect(ok.statusCode).toBe(201);
    expect((await risksOf(f.id)).events).toEqual([
      expect.objectContaining({ riskId: own.id, level: 'prefecture', size: 3, occurredOn: today }),
    ]);
    expect((await risksOf(other.id)).events).toEqual([]);
  });
});
