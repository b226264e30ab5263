/**
 * The name search index: every single character and every pair of adjacent characters of a name
 * (code points, lower-cased). Chinese names are 2–4 characters, so a query of one or two characters is
 * answered by one gram exactly, and a longer one by the intersection of its pairs, checked against the
 * name itself. One definition for what is written (families repository, migration 0019, bench seed)
 * and what is searched.
 */
export function nameGrams(name: string): string[] {
  const chars = Array.from(name.trim().toLowerCase()).filter((c) => c.trim() !== '');
  const grams = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i += 1) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}

/** The grams a query must all hit: itself when one or two characters, else its adjacent pairs. */
export function queryGrams(q: string): string[] {
  const chars = Array.from(q.trim().toLowerCase()).filter((c) => c.trim() !== '');
  if (chars.length <= 2) return chars.length ? [chars.join('')] : [];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) grams.add(chars[i] + chars[i + 1]);
  return [...grams];
}

/** The last six characters of an ID number, the part cadres read out (the check digit X upper-cased). */
export function idNumberTail(idNumber: string): string {
  return idNumber.trim().toUpperCase().slice(-6);
}

/** The grams of a family: those of all its parents' names, each once. */
export function familyGrams(names: string[]): string[] {
  return [...new Set(names.flatMap(nameGrams))];
}

/** The index rows of these families (table `family_name_grams`). */
export function gramRows(
  families: Array<{ id: string; region_code: string; archive_no: string }>,
  members: Array<{ family_id: string; name: string }>,
): Array<{ gram: string; region_code: string; archive_no: string; family_id: string }> {
  const names = new Map<string, string[]>();
  for (const m of members) names.set(m.family_id, [...(names.get(m.family_id) ?? []), m.name]);
  return families.flatMap((f) =>
    familyGrams(names.get(f.id) ?? []).map((gram) => ({
      gram,
      region_code: f.region_code,
      archive_no: f.archive_no,
      family_id: f.id,
    })),
  );
}
