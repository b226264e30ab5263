import { createStatReturnsService } from '../modules/stat-returns/stat-returns.service.js';
import type { Services } from '../services.js';
import { ManualClock } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { DEMO_COUNTY, DEMO_PREFECTURE, demoRegions, seedContext } from './seed-demo.js';

/**
 * Demo statistical returns (R9) in 钟祥市 and 荆门市, in every state: the demo township's 2025 annual return
 * sent back with a reason (so demo_township corrects and resubmits it), others approved on time, approved
 * late, awaiting the county leader, a draft and missing; the county's return awaiting the city, the city's
 * a draft; the third quarter approved on time for the demo township and late for another. Steps run
 * through the service on a clock set to the day each happened, so deadlines and timeliness are real.
 */
export async function seedDemoStatReturns(platform: Platform, services: Services, now: Date): Promise<void> {
  const { db } = platform;
  const { township: demoTownship } = await demoRegions(db);
  const holding = await db
    .selectFrom('families')
    .select('region_code')
    .distinct()
    .where('region_code', '>=', DEMO_COUNTY)
    .where('region_code', '<=', `${DEMO_COUNTY.slice(0, 6)}999999`)
    .execute();
  const townships = [...new Set(holding.map((f) => `${f.region_code.slice(0, 9)}000`))]
    .filter((c) => c !== demoTownship.code)
    .sort();
  const [t1, t2, t3, t4] = townships;
  const clock = new ManualClock(now);
  const returns = createStatReturnsService({ ...platform, clock }, services.indicators, services.facts);
  const staff = (code: string) => seedContext(code, 'township_staff');
  const leader = seedContext(DEMO_COUNTY, 'county_leader');
  const at = (iso: string) => clock.set(`${iso}T02:00:00.000Z`);

  async function township(code: string | undefined, template: 'annual' | 'quarterly', period: string, plan: string[]) {
    if (!code) return;
    at(plan[0]);
    let r = await returns.create(staff(code), { template, period, regionCode: code });
    for (const step of plan.slice(1)) {
      const [kind, day] = step.split('@');
      at(day);
      if (kind === 'submit') r = await returns.submit(staff(code), r.id, { version: r.version });
      if (kind === 'approve') r = await returns.approve(leader, r.id, r.version);
      if (kind === 'return')
        r = await returns.sendBack(leader, r.id, r.version, '特别扶助人数与发放花名册不符，请核实后重新上报');
    }
  }

  await township(demoTownship.code, 'annual', '2025', ['2026-03-10', 'submit@2026-03-20', 'return@2026-03-24']);
  await township(t1, 'annual', '2025', ['2026-03-05', 'submit@2026-03-18', 'approve@2026-03-25']);
  await township(t2, 'annual', '2025', ['2026-04-02', 'submit@2026-04-06', 'approve@2026-04-08']);
  await township(t3, 'annual', '2025', ['2026-03-25', 'submit@2026-03-30']);
  await township(t4, 'annual', '2025', ['2026-04-10']);
  await township(demoTownship.code, 'quarterly', '2026-Q3', ['2026-10-05', 'submit@2026-10-08', 'approve@2026-10-09']);
  await township(t1, 'quarterly', '2026-Q3', ['2026-10-12', 'submit@2026-10-14']);

  // The county hands in its return by 30 April with reasons for the townships not approved.
  at('2026-04-28');
  const county = seedContext(DEMO_COUNTY, 'county_staff');
  let c = await returns.create(county, { template: 'annual', period: '2025', regionCode: DEMO_COUNTY });
  const missingReasons = Object.fromEntries(
    c.checks
      .filter((k) => k.code.startsWith('child_missing.'))
      .map((k) => [k.code.slice('child_missing.'.length), '乡镇报表未按时报送，已电话督促']),
  );
  c = await returns.update(county, c.id, { version: c.version, responsiblePerson: '张建国', preparedBy: '李晓梅' });
  const warnings = (await returns.get(county, c.id)).checks.filter((k) => k.severity === 'warning');
  await returns.submit(county, c.id, {
    version: c.version,
    missingReasons,
    explanations: Object.fromEntries(warnings.map((w) => [w.code, '含未报乡镇的家庭，以县级实时数据为准'])),
  });
  at('2026-05-06');
  await returns.create(seedContext(DEMO_PREFECTURE, 'prefecture_staff'), {
    template: 'annual',
    period: '2025',
    regionCode: DEMO_PREFECTURE,
  });
}
