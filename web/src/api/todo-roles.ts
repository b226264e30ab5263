import type { Role } from '../../../common/roles';

/**
 * The roles whose home page lists their due work. Its own module (no imports at run time) because the
 * build reads it too: the route preload asks for these roles' todos with the session (scripts/vite-route-preload.ts).
 */
export const TODO_ROLES: readonly Role[] = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
];

/**
 * This browser's last session was one whose home page lists due work: the route preload then asks for the todos
 * beside the session, not after it (a round trip less on every start but the first). A hint, not a grant: the
 * answer is used only when the session says the same. Set by the session's arrival, cleared at sign-out.
 */
export const TODO_HINT_KEY = 'guanhuai.todos-first';

export function rememberTodoHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(TODO_HINT_KEY, '1');
    else localStorage.removeItem(TODO_HINT_KEY);
  } catch {
    // No storage (a locked-down browser): the todos come after the session, as without the hint.
  }
}
