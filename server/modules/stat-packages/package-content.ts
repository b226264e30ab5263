import { z } from 'zod';
import { STAT_TEMPLATES } from '../../../common/labels.js';

/**
 * What the GB/T 35275 envelope carries: one return as UTF-8 JSON. The format name is versioned so a
 * later field change is recognisable; the receiver validates it after the signature and digest hold.
 */
export const PACKAGE_FORMAT = 'guanhuai/stat-return/v1';

const Code = z.string().regex(/^\d{12}$/);
const Instant = z.string().max(40);

export const PackageContent = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  returnId: z.string().max(64),
  template: z.enum(STAT_TEMPLATES),
  period: z.string().regex(/^\d{4}(-Q[1-4])?$/),
  regionCode: Code,
  regionName: z.string().max(100),
  /** Only a submitted or approved return travels. */
  status: z.enum(['submitted', 'approved']),
  submittedAt: Instant.nullable(),
  approvedAt: Instant.nullable(),
  figures: z.record(z.string().max(64), z.number().finite()),
  definitionVersions: z.record(z.string().max(64), z.number().int()),
  remarks: z.string().max(4000).nullable(),
  preparedBy: z.string().max(200).nullable(),
  responsiblePerson: z.string().max(200).nullable(),
  /** The level it is addressed to, repeated inside the signature. */
  toRegionCode: Code,
  packedAt: Instant,
});
export type PackageContent = z.infer<typeof PackageContent>;

export function encodeContent(content: PackageContent): Buffer {
  return Buffer.from(JSON.stringify(content), 'utf8');
}

/** null when the bytes are not a package content of this format. */
export function decodeContent(bytes: Buffer): PackageContent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  const result = PackageContent.safeParse(parsed);
  return result.success ? result.data : null;
}
