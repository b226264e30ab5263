import { z } from 'zod';

/**
 * 县级电子备份 (R9 "电子备份和管理", issue 18 part 3): a county's own electronic copy of every archive and work record
 * of the county, SM4-encrypted with the key wrapped to the county's SM2 key and signed by it (GB/T 35275
 * signedAndEnvelopedData, the same envelope as the statistical return packages). The manifest lists each table
 * with its row count and the SM3 digest of its canonical content (docs/operations.md "Backup manifest"), so a
 * later copy can be compared table by table.
 */
export const COUNTY_COPY_FORMAT = 'guanhuai/county-copy/v1';

export const CountyCopyTable = z.object({ name: z.string(), rows: z.number().int(), sm3: z.string() });
export type CountyCopyTable = z.infer<typeof CountyCopyTable>;

export const CountyCopyManifest = z.object({
  format: z.literal(COUNTY_COPY_FORMAT),
  regionCode: z.string(),
  regionName: z.string(),
  generatedAt: z.string(),
  tables: z.array(CountyCopyTable),
  totalRows: z.number().int(),
  /** SM3 over the table digests in order: two copies with equal content have equal values. */
  contentSm3: z.string(),
});
export type CountyCopyManifest = z.infer<typeof CountyCopyManifest>;

export const CountyCopyQuery = z.object({
  regionCode: z
    .string()
    .regex(/^\d{6}0{6}$/, { error: '县级电子备份按县（市、区）生成，应为县级区划代码' })
    .optional(),
});
export type CountyCopyQuery = z.infer<typeof CountyCopyQuery>;

/** One table compared with an earlier manifest (the page does it in the browser; the function is shared). */
export interface CountyCopyDiff {
  name: string;
  before: number | null;
  after: number | null;
  status: 'same' | 'changed' | 'added' | 'removed';
}

export function compareManifests(earlier: CountyCopyManifest, later: CountyCopyManifest): CountyCopyDiff[] {
  const old = new Map(earlier.tables.map((t) => [t.name, t]));
  const out: CountyCopyDiff[] = later.tables.map((t) => {
    const e = old.get(t.name);
    old.delete(t.name);
    if (!e) return { name: t.name, before: null, after: t.rows, status: 'added' };
    return { name: t.name, before: e.rows, after: t.rows, status: e.sm3 === t.sm3 ? 'same' : 'changed' };
  });
  for (const e of old.values()) out.push({ name: e.name, before: e.rows, after: null, status: 'removed' });
  return out;
}
