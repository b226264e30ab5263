import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditChanges } from '../../common/schemas/audit.js';
import { flushSecurityEvents } from '../../server/platform/audit/security-events.js';
import { seedDemoContacts } from '../../server/demo/demo-contacts.js';
import { seedDemoFamilies } from '../../server/demo/demo-families.js';
import { seedDemoResponses } from '../../server/demo/demo-responses.js';
import { demoRegions } from '../../server/demo/seed-demo.js';
import { createTestApp, testCrypto, type TestApp } from '../support/test-app.js';

/**
 * Issue 10 item 3: after a demo-like workload — the demo seed (archives, contacts and assignments, visits,
 * events, festival care, petition risks, needs, meetings) plus a cadre's day through the API (edits, a reveal,
 * a status change with a note, an export, a petition risk, todos, denials) — no audit row holds a name, an
 * address, an ID or phone number, a birth date or free text in clear.
 */
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ provinces: ['42'] });
  const { platform, services } = t.app;
  await seedDemoFamilies(platform, services.families, 40);
  await seedDemoContacts(platform, services, t.clock.now());
  await seedDemoResponses(platform, services, t.clock.now());
}, 120_000);
afterAll(() => t.close());

interface Secrets {
  values: string[];
}

async function secrets(): Promise<Secrets> {
  const crypto = testCrypto();
  const values = new Set<string>();
  const add = (v: string | null | undefined) => {
    if (v && v.trim().length >= 2) values.add(v.trim());
  };
  for (const m of await t.db.selectFrom('family_members').selectAll().execute()) {
    add(m.name);
    add(m.birth_date);
    add(m.birth_date.replaceAll('-', ''));
    add(crypto.decrypt(m.id_number_enc, `family_members:${m.id}:id_number`));
    if (m.phone_enc) add(crypto.decrypt(m.phone_enc, `family_members:${m.id}:phone`));
  }
  for (const c of await t.db.selectFrom('family_children').selectAll().execute()) {
    add(c.name);
    add(c.birth_date);
  }
  for (const f of await t.db.selectFrom('families').select(['address', 'current_address', 'status_note']).execute()) {
    add(f.address);
    add(f.current_address);
    add(f.status_note);
  }
  for (const c of await t.db.selectFrom('contacts').select(['name']).execute()) add(c.name);
  for (const n of await t.db.selectFrom('needs').select(['description']).execute()) add(n.description);
  for (const r of await t.db.selectFrom('petition_risks').select(['signals']).execute()) add(r.signals);
  for (const e of await t.db.selectFrom('major_events').select(['description']).execute()) add(e.description);
  return { values: [...values] };
}

describe('every audit row of a demo-like workload', () => {
  it('holds no name, address, ID or phone number, birth date or free text in clear', async () => {
    const { township, village } = await demoRegions(t.db);
    const staff = await t.signIn('township_staff', township.code);
    const [family] = (await staff.get(`/api/v1/families?regionCode=${village.code}&pageSize=5`)).json().data as Array<{
      id: string;
      version: number;
    }>;
    const patched = await staff.patch(`/api/v1/families/${family.id}`, {
      version: family.version,
      address: '郢中街道莫愁路 17 号（审计测试）',
      currentAddress: '石牌镇 3 组 5 号（审计测试）',
      members: [{ relation: 'mother', name: '欧阳某芳', phone: '13911112222' }],
    });
    expect(patched.statusCode).toBe(200);
    expect(
      (
        await staff.post(`/api/v1/families/${family.id}/reveal`, {
          field: 'members.0.idNumber',
          reason: '核对特扶资格（审计测试）',
        })
      ).statusCode,
    ).toBe(200);
    const status = await staff.post(`/api/v1/families/${family.id}/status`, {
      version: patched.json().data.version,
      status: 'paused',
      reason: 'away',
      effectiveDate: '2026-01-05',
      note: '随子女外出居住，地址保密（审计测试）',
    });
    expect(status.statusCode).toBe(200);
    expect((await staff.get(`/api/v1/families/export.xlsx?regionCode=${township.code}&q=欧阳`)).statusCode).toBe(200);
    const risk = await staff.post(`/api/v1/families/${family.id}/petition-risks`, {
      targetLevel: 'province',
      scope: 'individual',
      riskLevel: 'yellow',
      signals: '对补贴标准有意见，扬言上访（审计测试）',
    });
    expect([201, 400]).toContain(risk.statusCode);
    await staff.get('/api/v1/todos');
    // Another county (江岸区) probing the archive: the denial is audited too.
    const outsider = await t.signIn('county_staff', '420102000000');
    await outsider.get(`/api/v1/families/${family.id}`);
    await flushSecurityEvents(t.app.platform, t.clock.now(), true);

    const rows = await t.db.selectFrom('audit_events').selectAll().execute();
    expect(rows.length).toBeGreaterThan(100);
    const { values } = await secrets();
    expect(values.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const row of rows) {
      const text = JSON.stringify(row);
      for (const v of values) if (text.includes(v)) leaks.push(`#${row.seq} ${row.action}: ${v}`);
      if (row.changes === null) continue;
      const parsed = AuditChanges.safeParse(JSON.parse(row.changes));
      expect(parsed.success, `#${row.seq} ${row.action}`).toBe(true);
      if (parsed.success && parsed.data.v === 1) {
        // Causes of death and birth dates never appear as values, whatever their format.
        for (const f of parsed.data.fields ?? [])
          if (/deathCause|birthDate|name|address/i.test(f.path))
            for (const v of [f.before, f.after]) expect(v && 'value' in v, `${f.path} in #${row.seq}`).toBeFalsy();
      }
    }
    expect(leaks).toEqual([]);
  }, 120_000);
});
