import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Role } from '../../common/roles.js';
import { insertAccount } from '../../server/modules/users/users.service.js';
import type { CryptoProvider } from '../../server/platform/crypto/crypto-provider.js';
import type { Db } from '../../server/platform/db/database.js';

export const BENCH_PASSWORD = 'Bench-Passw0rd!';
const HUBEI = { from: '420000000000', to: '429999999999' };

/** Who and what the scenarios are about, picked by SQL so every run on a database picks the same. */
export interface Subjects {
  /** The township with the most active families: its overdue list and family list are the heaviest. */
  township: { code: string; name: string; families: number };
  /** The township cadre of that township with the most families: the longest todo list. */
  contact: { id: string; name: string; families: number };
  /** A parent in the middle of the archive order: searched by name prefix and by ID number. */
  person: { namePrefix: string; nameInfix: string; idNumber: string; nameMatches: number };
  /** Families the township may log for (none with an open event or risk), each with a contact assigned to it. */
  loggable: Array<{ familyId: string; contactId: string }>;
}

export async function pickSubjects(db: Db, crypto: CryptoProvider): Promise<Subjects> {
  const township = await db
    .selectFrom('families')
    .select([sql<string>`substr(region_code, 1, 9)`.as('prefix'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'active')
    // Hubei, the bench accounts' province (the national seed holds others too; at ≤ 100k it is all there is).
    .where('region_code', '>=', HUBEI.from)
    .where('region_code', '<=', HUBEI.to)
    .groupBy(sql`substr(region_code, 1, 9)`)
    .orderBy('n', 'desc')
    .orderBy('prefix')
    .limit(1)
    .executeTakeFirstOrThrow();
  const townshipCode = `${township.prefix}000`;
  const region = await db
    .selectFrom('regions')
    .select('name')
    .where('code', '=', townshipCode)
    .executeTakeFirstOrThrow();
  const contact = await db
    .selectFrom('assignments as a')
    .innerJoin('contacts as c', 'c.id', 'a.contact_id')
    .select(['c.id', 'c.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('a.ended_at', 'is', null)
    .where('c.post', '=', 'township_cadre')
    .where('c.region_code', '=', townshipCode)
    .groupBy(['c.id', 'c.name'])
    .orderBy('n', 'desc')
    .orderBy('c.id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const total = await db
    .selectFrom('families')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('region_code', '>=', HUBEI.from)
    .where('region_code', '<=', HUBEI.to)
    .executeTakeFirstOrThrow();
  const member = await db
    .selectFrom('family_members as m')
    .innerJoin('families as f', 'f.id', 'm.family_id')
    .select(['m.id', 'm.name', 'm.id_number_enc'])
    .where('m.position', '=', 0)
    .where('f.region_code', '>=', HUBEI.from)
    .where('f.region_code', '<=', HUBEI.to)
    .orderBy('f.archive_no')
    .limit(1)
    .offset(Math.floor(Number(total.n) / 2))
    .executeTakeFirstOrThrow();
  const namePrefix = member.name.slice(0, 2);
  const matches = await db
    .selectFrom('family_members as m')
    .innerJoin('families as f', 'f.id', 'm.family_id')
    .select((eb) => eb.fn.count<number>('m.family_id').distinct().as('n'))
    .where('m.name', '>=', namePrefix)
    .where('m.name', '<', `${namePrefix}\uffff`)
    .where('f.region_code', '>=', HUBEI.from)
    .where('f.region_code', '<=', HUBEI.to)
    .executeTakeFirstOrThrow();
  const loggable = await db
    .selectFrom('assignments as a')
    .innerJoin('families as f', 'f.id', 'a.family_id')
    .select(['a.family_id', 'a.contact_id'])
    .where('f.region_code', '>=', townshipCode)
    .where('f.region_code', '<=', `${township.prefix}999`)
    .where('f.status', '=', 'active')
    .where('a.ended_at', 'is', null)
    .where('a.post', 'in', ['village_cadre', 'township_cadre'])
    // A home visit answers a family's open events and risks; the write scenario leaves those alone.
    .where((eb) =>
      eb.not(
        eb.or([
          eb.exists(
            eb
              .selectFrom('major_events as e')
              .select('e.id')
              .whereRef('e.family_id', '=', 'f.id')
              .where('e.status', '=', 'open'),
          ),
          eb.exists(
            eb
              .selectFrom('petition_risks as p')
              .select('p.id')
              .whereRef('p.family_id', '=', 'f.id')
              .where('p.status', '=', 'open')
              .where('p.visited_at', 'is', null),
          ),
        ]),
      ),
    )
    .orderBy('a.family_id')
    .orderBy('a.post')
    .execute();
  return {
    township: { code: townshipCode, name: region.name, families: Number(township.n) },
    contact: { id: contact.id, name: contact.name, families: Number(contact.n) },
    person: {
      namePrefix,
      // What a cadre types without the surname: the given name, found inside the full name.
      nameInfix: Array.from(member.name).slice(1).join(''),
      idNumber: crypto.decrypt(member.id_number_enc, `family_members:${member.id}:id_number`),
      nameMatches: Number(matches.n),
    },
    loggable: loggable.map((r) => ({ familyId: r.family_id, contactId: r.contact_id })),
  };
}

/** The bench's accounts (made once per database; argon2 makes that the slow part), the contact linked. */
export async function ensureBenchUsers(
  db: Db,
  subjects: Pick<Subjects, 'township' | 'contact'> | null,
): Promise<Record<string, { username: string; role: Role; regionCode: string }>> {
  const wanted: Record<string, { username: string; role: Role; regionCode: string }> = {
    province: { username: 'bench_province', role: 'province_staff', regionCode: '420000000000' },
  };
  if (subjects) {
    wanted.township = { username: 'bench_township', role: 'township_staff', regionCode: subjects.township.code };
    wanted.contact = { username: 'bench_contact', role: 'contact', regionCode: subjects.township.code };
    // R9: the township's city verifies its county's statistical-return package.
    wanted.city = {
      username: 'bench_city',
      role: 'prefecture_staff',
      regionCode: `${subjects.township.code.slice(0, 4)}00000000`,
    };
  }
  for (const u of Object.values(wanted)) {
    const existing = await db
      .selectFrom('users')
      .select(['id', 'region_code'])
      .where('username', '=', u.username)
      .executeTakeFirst();
    if (existing && existing.region_code !== u.regionCode)
      await db.updateTable('users').set({ region_code: u.regionCode }).where('id', '=', existing.id).execute();
    if (!existing)
      await insertAccount(
        db,
        {
          username: u.username,
          displayName: `基准测试${u.role}`,
          password: BENCH_PASSWORD,
          role: u.role,
          regionCode: u.regionCode,
        },
        new Date(),
      );
  }
  if (subjects) {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'bench_contact')
      .executeTakeFirstOrThrow();
    await db.updateTable('contacts').set({ user_id: null }).where('user_id', '=', user.id).execute();
    await db.updateTable('contacts').set({ user_id: user.id }).where('id', '=', subjects.contact.id).execute();
  }
  const usernames = ['bench_province', 'bench_township', 'bench_contact', 'bench_city'];
  const ids = (await db.selectFrom('users').select('id').where('username', 'in', usernames).execute()).map((r) => r.id);
  if (ids.length) await db.deleteFrom('sessions').where('user_id', 'in', ids).execute();
  return wanted;
}

export interface BenchSession {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export async function login(app: FastifyInstance, username: string): Promise<BenchSession> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: BENCH_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`bench login ${username}: ${res.statusCode} ${res.body}`);
  const body = res.json<{ data: { csrfToken: string; user: { id: string } } }>();
  return {
    cookie: String(res.headers['set-cookie']).split(';')[0],
    csrfToken: body.data.csrfToken,
    userId: body.data.user.id,
  };
}
