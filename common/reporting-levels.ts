/**
 * Who reports to whom across instances (R9): a county to its city, a city to the province, and the
 * province-direct county-level units (codes xx90xx, e.g. 仙桃 429004) straight to the province. These
 * levels hold SM2 key pairs; townships hand in inside the county's instance and hold none.
 * Shared so the web app shows the package download only where the server builds one.
 */
const PROVINCE = /^\d{2}0{10}$/;
const PREFECTURE = /^\d{4}0{8}$/;
const COUNTY = /^\d{6}0{6}$/;

export function holdsKey(code: string): boolean {
  if (PROVINCE.test(code)) return true;
  // xx9000000000 groups the province-direct units; it is not a reporting office itself.
  if (PREFECTURE.test(code)) return code.slice(2, 4) !== '90';
  return COUNTY.test(code);
}

/** The region a return of `code` goes up to, or null for the province. */
export function receivingRegion(code: string): string | null {
  const province = `${code.slice(0, 2)}0000000000`;
  if (PROVINCE.test(code)) return null;
  if (PREFECTURE.test(code)) return province;
  if (COUNTY.test(code)) return code.slice(2, 4) === '90' ? province : `${code.slice(0, 4)}00000000`;
  return `${code.slice(0, 6)}000000`;
}
