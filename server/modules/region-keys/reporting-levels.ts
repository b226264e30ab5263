import { levelOfCode } from '../../platform/scope.js';

/**
 * Who reports to whom across instances (R9): a county to its city, a city to the province, and the
 * province-direct county-level units (codes xx90xx, e.g. 仙桃 429004) straight to the province. These
 * levels hold SM2 key pairs; townships hand in inside the county's instance and hold none.
 */
export function holdsKey(code: string): boolean {
  const level = levelOfCode(code);
  if (level === 'province' || level === 'county') return true;
  // xx9000000000 groups the province-direct units; it is not a reporting office itself.
  return level === 'prefecture' && code.slice(2, 4) !== '90';
}

/** The region a return of `code` goes up to, or null for the province. Only for key-holding levels. */
export function receivingRegion(code: string): string | null {
  const level = levelOfCode(code);
  const province = `${code.slice(0, 2)}0000000000`;
  if (level === 'province') return null;
  if (level === 'prefecture') return province;
  if (level === 'county') return code.slice(2, 4) === '90' ? province : `${code.slice(0, 4)}00000000`;
  return `${code.slice(0, 6)}000000`;
}
