import type { RegionLevel, Role } from '../../common/roles.js';

/** Digits of a 12-digit statistical code that identify a region at each level; the rest are zeros. */
export const SIGNIFICANT_DIGITS: Record<RegionLevel, number> = {
  province: 2,
  prefecture: 4,
  county: 6,
  township: 9,
  village: 12,
};

/** Who is asking: the signed-in account, bound to one region. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionLevel: RegionLevel;
  sessionIdHash: string;
  /** A new account's first login, or an expired password: only the password change is open. */
  mustChangePassword: boolean;
  /** The role needs a second factor (MFA_REQUIRED_ROLES) and none is enrolled yet: only enrolment is open. */
  mfaEnrolmentDue?: boolean;
}

/** A region subtree as a closed range of 12-digit codes: indexable by a plain btree on both databases. */
export interface RegionRange {
  from: string;
  to: string;
}

export function levelOfCode(code: string): RegionLevel {
  if (/^\d{2}0{10}$/.test(code)) return 'province';
  if (/^\d{4}0{8}$/.test(code)) return 'prefecture';
  if (/^\d{6}0{6}$/.test(code)) return 'county';
  if (/^\d{9}000$/.test(code)) return 'township';
  return 'village';
}

export function subtreeRange(code: string, level: RegionLevel = levelOfCode(code)): RegionRange {
  const prefix = code.slice(0, SIGNIFICANT_DIGITS[level]);
  return { from: prefix.padEnd(12, '0'), to: prefix.padEnd(12, '9') };
}

export function actorRange(actor: Pick<Actor, 'regionCode' | 'regionLevel'>): RegionRange {
  return subtreeRange(actor.regionCode, actor.regionLevel);
}

/** True when `code` is the actor's region or lies below it. */
export function isInScope(actor: Pick<Actor, 'regionCode' | 'regionLevel'>, code: string): boolean {
  const { from, to } = actorRange(actor);
  return code >= from && code <= to;
}

export function isWithin(ancestorCode: string, code: string): boolean {
  const { from, to } = subtreeRange(ancestorCode);
  return code >= from && code <= to;
}
