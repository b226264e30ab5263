import { z } from 'zod';
import { LIMITS, REGION_CODE_PATTERN } from '../limits.js';
import { REGION_KEY_ORIGINS } from '../labels.js';
import { requiredText } from './fields.js';
import { StatReturnDetail } from './stat-returns.js';
export { REGION_KEY_ORIGINS, REGION_KEY_ORIGIN_LABELS } from '../labels.js';

/** Largest package accepted for import. A return's package is a few kB; 1 MB leaves room for any template. */
export const MAX_PACKAGE_BYTES = 1024 * 1024;
/** Passwords of encrypted workbooks: typed by a person, never stored. */
export const XLSX_PASSWORD_MIN = 8;
export const XLSX_PASSWORD_MAX = 128;

export const RegionCodeParams = z.object({
  code: z.string().regex(REGION_CODE_PATTERN, { error: '区划代码应为 12 位数字' }),
});

/** A reporting level's SM2 public key (GET/PUT /api/v1/regions/{code}/public-key). */
export const RegionPublicKey = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  algorithm: z.literal('SM2'),
  /** SubjectPublicKeyInfo PEM (id-ecPublicKey, curve 1.2.156.10197.1.301). */
  publicKeyPem: z.string(),
  /** Hex 04‖X‖Y. */
  publicKey: z.string(),
  /** First 16 bytes of SM3(public key), hex: how a package names the key. */
  keySerial: z.string(),
  origin: z.enum(REGION_KEY_ORIGINS),
  /** True when this instance holds the private key and can sign and open packages as this level. */
  hasPrivateKey: z.boolean(),
  createdAt: z.string(),
});
export type RegionPublicKey = z.infer<typeof RegionPublicKey>;

export const RegionPublicKeyRegister = z.strictObject({
  publicKeyPem: z
    .string({ error: '请粘贴 PEM 格式的 SM2 公钥' })
    .trim()
    .min(1, { error: '请粘贴 PEM 格式的 SM2 公钥' })
    .max(2000, { error: '公钥内容过长，应为一段 PEM 格式的 SM2 公钥' }),
  reason: requiredText(LIMITS.shortText, '登记原因'),
});
export type RegionPublicKeyRegister = z.infer<typeof RegionPublicKeyRegister>;

/** What a verified package holds (POST /api/v1/stat-return-packages). */
export const PackageImportResult = z.object({
  template: z.string(),
  period: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  status: z.string(),
  submittedAt: z.string().nullable(),
  figures: z.record(z.string(), z.number()),
  /** Region code of the level whose key signed the package. */
  signedBy: z.string(),
  signedByName: z.string(),
  signedAt: z.string(),
  /** Region code of the level the package was encrypted to (the importer's). */
  recipientRegionCode: z.string(),
  /** Hex SM3 of the package as uploaded, for the receipt. */
  packageDigest: z.string(),
  verified: z.literal(true),
  /** The figures as on the paper 统计表: this instance's template, section by section (codes it does not know last). */
  rows: z.array(
    z.object({ section: z.string(), code: z.string(), name: z.string(), unit: z.string(), value: z.number() }),
  ),
});
export type PackageImportResult = z.infer<typeof PackageImportResult>;

/**
 * `POST /api/v1/stat-return-packages/accept` (multipart `file`): the verified package handed in as the child's
 * submitted return at this level, which then goes through this level's review.
 */
export const PackageAcceptResult = z.object({ package: PackageImportResult, statReturn: StatReturnDetail });
export type PackageAcceptResult = z.infer<typeof PackageAcceptResult>;

export const XlsxExportRequest = z.strictObject({
  password: z
    .string({ error: '请设置打开密码' })
    .min(XLSX_PASSWORD_MIN, { error: `密码至少 ${XLSX_PASSWORD_MIN} 位` })
    .max(XLSX_PASSWORD_MAX, { error: `密码不能超过 ${XLSX_PASSWORD_MAX} 位` }),
});
export type XlsxExportRequest = z.infer<typeof XlsxExportRequest>;
