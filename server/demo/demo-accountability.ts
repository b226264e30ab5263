import type { Services } from '../services.js';
import { chinaDate } from '../platform/clock.js';
import type { Platform } from '../platform/context.js';
import { inRange } from '../platform/db/query-helpers.js';
import { subtreeRange } from '../platform/scope.js';
import { DEMO_COUNTY, DEMO_PREFECTURE, seedContext } from './seed-demo.js';

/**
 * 问责 demo (R17): two families of the demo county petitioned at province level and in Beijing, each opening a
 * case with its evidence through the petition service itself. The city concluded the older one (履职不到位,
 * naming the village contact — who therefore cannot be commended this year); the other waits in the county's
 * todos.
 */
export async function seedDemoAccountability(platform: Platform, services: Services, now: Date): Promise<void> {
  const { db } = platform;
  const range = subtreeRange(DEMO_COUNTY);
  const families = await db
    .selectFrom('families as f')
    .select('f.id')
    .where(inRange('f.region_code', range))
    .where('f.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('assignments as a')
          .select('a.id')
          .whereRef('a.family_id', '=', 'f.id')
          .where('a.ended_at', 'is', null)
          .where('a.post', '=', 'village_cadre'),
      ),
    )
    // Families the other demos gave petition records to stay as those demos (and their journeys) expect.
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('petition_risks as r').select('r.id').whereRef('r.family_id', '=', 'f.id'))),
    )
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('petition_events as e').select('e.id').whereRef('e.family_id', '=', 'f.id'))),
    )
    .orderBy('f.archive_no')
    .limit(2)
    .execute();
  if (families.length < 2) return;
  const county = seedContext(DEMO_COUNTY, 'county_staff');
  const city = seedContext(DEMO_PREFECTURE, 'prefecture_staff');
  const daysAgo = (n: number) => chinaDate(new Date(now.getTime() - n * 86_400_000));
  await services.petitions.recordEvent(county, families[0].id, {
    level: 'province',
    form: 'visit',
    size: 1,
    occurredOn: daysAgo(20),
    outcome: '省信访局接待，已劝返',
  });
  await services.petitions.recordEvent(county, families[1].id, {
    level: 'beijing',
    form: 'visit',
    size: 2,
    occurredOn: daysAgo(3),
    outcome: '已接回，县里正在化解',
  });
  const [older] = (await services.accountability.list(city, { status: 'open' })).filter(
    (c) => c.familyId === families[0].id,
  );
  if (!older) return;
  const village = older.evidence.contacts.find((c) => c.post === 'village_cadre');
  await services.accountability.conclude(city, older.id, {
    finding: 'failed',
    measures: '信访前三个月未登门走访，对村级联系人诫勉谈话，乡镇限期整改并在全县通报。',
    people: village ? [{ contactId: village.contactId, name: village.name, role: '村级联系人' }] : [],
    version: older.version,
  });
}
