import { afterAll, beforeAll } from 'vitest';
import {
  buildAssignedFamily,
  buildContact,
  buildRegionTree,
  buildUser,
  TEST_PASSWORD,
  type AssignedFamily,
  type RegionTree,
  type TestUser,
} from './factories.js';
import type { Role } from '../../common/roles.js';
import { createTestApp, type Session, type TestApp } from './test-app.js';

/**
 * The cast of a field-work test: an app on a fresh database, a region tree, its township staff, and the 双岗
 * pair of the village — a village cadre who signs in as the `contact` user and a township cadre.
 */
export interface ContactTeam {
  t: TestApp;
  tree: RegionTree;
  township: Session;
  /** The village cadre's account and its session. */
  user: TestUser;
  contact: Session;
  contactId: string;
  townshipContactId: string;
  /** A family of the village with the pair assigned (see `buildAssignedFamily`). */
  family(overrides?: Record<string, unknown>): Promise<AssignedFamily>;
}

export async function buildContactTeam(
  opts: {
    /** The contact user's account is created at the test clock's time (else the wall clock's). */
    userAtTestClock?: boolean;
    /** The village cadre's name in the registry. */
    contactName?: string;
  } = {},
): Promise<ContactTeam> {
  const t = await createTestApp();
  const tree = await buildRegionTree(t.db);
  const township = await t.signIn('township_staff', tree.township);
  const user = await buildUser(t.db, 'contact', tree.village, opts.userAtTestClock ? t.clock.now() : undefined);
  const extra = opts.contactName === undefined ? {} : { name: opts.contactName };
  const contactId = (await buildContact(township, 'village_cadre', tree.village, { userId: user.id, ...extra })).id;
  const townshipContactId = (await buildContact(township, 'township_cadre', tree.township)).id;
  const contact = await t.login({ username: user.username, password: TEST_PASSWORD });
  return {
    t,
    tree,
    township,
    user,
    contact,
    contactId,
    townshipContactId,
    family: (overrides = {}) =>
      buildAssignedFamily(township, tree.village, { townshipContactId, villageContactId: contactId }, overrides),
  };
}

/**
 * An app on a fresh database and a region tree for the whole test file: made before its tests, closed after
 * them — with, when asked, a second tree (`other`, another branch) and users signed in, in the order given, as
 * `{ name: [role, level of the tree] }`. Read `s.t`, `s.tree`, `s.other` and `s.<name>` inside the tests (they
 * are set once `beforeAll` has run).
 */
export function useAppWithTree<K extends string = never>(
  opts: { otherTree?: boolean; sessions?: Record<K, [Role, keyof RegionTree]> } = {},
): { t: TestApp; tree: RegionTree; other: RegionTree } & Record<K, Session> {
  const s = {} as { t: TestApp; tree: RegionTree; other: RegionTree } & Record<K, Session>;
  beforeAll(async () => {
    s.t = await createTestApp();
    s.tree = await buildRegionTree(s.t.db);
    if (opts.otherTree) s.other = await buildRegionTree(s.t.db);
    for (const [name, [role, level]] of Object.entries(opts.sessions ?? {}) as Array<[K, [Role, keyof RegionTree]]>)
      (s as Record<K, Session>)[name] = await s.t.signIn(role, s.tree[level]);
  });
  afterAll(() => s.t.close());
  return s;
}
