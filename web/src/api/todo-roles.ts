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
