import { STAT_TEMPLATE_LABELS } from '../../../common/labels.js';
import type { PackageImportResult } from '../../../common/schemas/stat-packages.js';
import type { StatReturn, StatReturnDetail, StatTemplateInfo } from '../../../common/schemas/stat-returns.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import {
  buildSignedAndEnveloped,
  EnvelopeError,
  openSignedAndEnveloped,
  parseSignedAndEnveloped,
  type EnvelopeFailure,
} from '../../platform/crypto/gm-envelope.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { isInScope } from '../../platform/scope.js';
import type { RegionKeysService } from '../region-keys/region-keys.service.js';
import { holdsKey, receivingRegion } from '../region-keys/reporting-levels.js';
import type { IndicatorRegistry } from '../stat-returns/indicators/registry.js';
import type { StatReturnsService } from '../stat-returns/stat-returns.service.js';
import { templateInfo } from '../stat-returns/templates.js';
import { decodeContent, encodeContent, PACKAGE_FORMAT, type PackageContent } from './package-content.js';
import { returnWorkbook } from './return-workbook.js';

/** How the packages reach a return: the returns service's `get` (which authorizes the read) and its import. */
export interface ReturnsPort {
  get(c: RequestContext, id: string): Promise<StatReturn>;
  acceptPackage?: StatReturnsService['acceptPackage'];
}

type Refusal = EnvelopeFailure | 'CONTENT_FORMAT' | 'SIGNER_OUT_OF_SCOPE' | 'SIGNER_MISMATCH' | 'NOT_ADDRESSED';

function refusalMessage(reason: Refusal, name: string | null): string {
  const who = name ?? '对方';
  switch (reason) {
    case 'MALFORMED':
      return '文件不是有效的报表包：不是完整的 GB/T 35275 签名数字信封（文件可能不完整或已损坏）';
    case 'UNSUPPORTED':
      return '报表包使用了本平台不支持的格式或算法（应为 SM2/SM3/SM4 签名数字信封）';
    case 'UNKNOWN_SIGNER':
      return `签名方（${who}）的公钥未在本平台登记或已更换，无法确认报表来源`;
    case 'BAD_SIGNATURE':
      return `签名验证失败：报表包不是${who}签发的原件，内容可能被篡改`;
    case 'NOT_FOR_US':
      return `报表包是加密发送给${who}的，不是发给本级的，无法解密`;
    case 'KEY_UNWRAP_FAILED':
      return '无法解开报表包的数据密钥：报表包可能被篡改';
    case 'CONTENT_DECRYPT_FAILED':
      return '报表内容解密失败：报表包可能被篡改';
    case 'DIGEST_MISMATCH':
      return '报表内容与签名时的摘要不一致：报表包被篡改';
    case 'CONTENT_FORMAT':
      return '报表包内容不是本平台的统计报表格式';
    case 'SIGNER_OUT_OF_SCOPE':
      return `签名方（${who}）不在本级管辖范围内`;
    case 'SIGNER_MISMATCH':
      return `报表单位与签名方（${who}）不一致`;
    case 'NOT_ADDRESSED':
      return `报表应报送${who}，不是报送本级的`;
  }
}

/** The figures in template order; a code this instance does not know (a newer sender) still shows, last. */
function figureRows(info: StatTemplateInfo, figures: Record<string, number>) {
  const rows: PackageImportResult['rows'] = [];
  const seen = new Set<string>();
  for (const section of info.sections)
    for (const indicator of section.indicators) {
      if (!(indicator.code in figures)) continue;
      seen.add(indicator.code);
      rows.push({
        section: section.title,
        code: indicator.code,
        name: indicator.name,
        unit: indicator.unit,
        value: figures[indicator.code],
      });
    }
  for (const [code, value] of Object.entries(figures))
    if (!seen.has(code)) rows.push({ section: '其他', code, name: code, unit: '', value });
  return rows;
}

/**
 * Statistical returns on their way between instances (R9, issue 13 parts 6 and 7): the signed and
 * enveloped package of a submitted return for the level above, its verified import, and the
 * password-protected workbook for a person.
 */
export function createStatPackagesService(
  platform: Platform,
  deps: { regionKeys: RegionKeysService; indicators: IndicatorRegistry; returns: ReturnsPort },
) {
  const { db, crypto, clock, audit } = platform;
  const { regionKeys, indicators, returns } = deps;

  async function refuse(c: RequestContext, reason: Refusal, regionCode: string | null, digest: string): Promise<never> {
    const name = regionCode ? await regionKeys.regionName(regionCode) : null;
    const message = refusalMessage(reason, name ?? regionCode);
    await db.transaction().execute((trx) =>
      audit.record(trx, c, {
        action: 'stat_return.package_import',
        targetType: 'stat_return_package',
        targetId: digest,
        outcome: 'failure',
        changes: { reason, regionCode },
      }),
    );
    throw new AppError('PACKAGE_INVALID', message, [{ path: 'file', message, code: reason }]);
  }

  /**
   * Verifies an uploaded package: the signer is a known key in scope, the signature holds, it is encrypted to
   * the importer's level, the content key and content decrypt, the digest matches and the content is a return
   * of the signer addressed to us. Refusals are audited and thrown; nothing else is stored.
   */
  async function verify(
    c: RequestContext,
    bytes: Buffer,
  ): Promise<{ result: PackageImportResult; content: PackageContent }> {
    authorize(c.actor, 'statPackage.import');
    const digest = crypto.sm3(bytes);
    let parsed;
    try {
      parsed = parseSignedAndEnveloped(bytes);
    } catch (e) {
      if (e instanceof EnvelopeError) return refuse(c, e.failure, e.regionCode ?? null, digest);
      throw e;
    }
    const signerCode = parsed.signer.regionCode;
    if (!isInScope(c.actor, signerCode)) return refuse(c, 'SIGNER_OUT_OF_SCOPE', signerCode, digest);
    const signerKey = await regionKeys.knownSignerKey(signerCode, parsed.signer.serial);
    const ownKey =
      parsed.recipient.regionCode === c.actor.regionCode
        ? await regionKeys.ownKey(parsed.recipient.regionCode, parsed.recipient.serial)
        : null;
    let opened;
    try {
      opened = openSignedAndEnveloped(crypto, bytes, { signerKey: () => signerKey, recipientKey: () => ownKey });
    } catch (e) {
      if (e instanceof EnvelopeError) return refuse(c, e.failure, e.regionCode ?? null, digest);
      throw e;
    }
    const content = decodeContent(opened.content);
    if (!content) return refuse(c, 'CONTENT_FORMAT', null, digest);
    if (content.regionCode !== signerCode) return refuse(c, 'SIGNER_MISMATCH', signerCode, digest);
    if (
      content.toRegionCode !== opened.recipient.regionCode ||
      receivingRegion(content.regionCode) !== c.actor.regionCode
    ) {
      return refuse(c, 'NOT_ADDRESSED', receivingRegion(content.regionCode), digest);
    }
    const result: PackageImportResult = {
      template: content.template,
      period: content.period,
      regionCode: content.regionCode,
      regionName: content.regionName,
      status: content.status,
      submittedAt: content.submittedAt,
      figures: content.figures,
      signedBy: signerCode,
      signedByName: (await regionKeys.regionName(signerCode)) ?? content.regionName,
      signedAt: opened.signingTime.toISOString(),
      recipientRegionCode: opened.recipient.regionCode,
      packageDigest: digest,
      verified: true,
      rows: figureRows(templateInfo(indicators, content.template), content.figures),
    };
    return { result, content };
  }

  return {
    /** The GB/T 35275 DER of a submitted or approved return, signed by its level, for the level above. */
    async buildPackage(c: RequestContext, id: string): Promise<{ buffer: Buffer; fileName: string }> {
      const r = await returns.get(c, id);
      authorize(c.actor, 'statPackage.export', r.regionCode);
      if (r.status !== 'submitted' && r.status !== 'approved') {
        throw new AppError('INVALID_STATE', '只有已上报或已审核的报表可以生成报表包');
      }
      const to = receivingRegion(r.regionCode);
      if (!holdsKey(r.regionCode) || !to) {
        throw new AppError('INVALID_STATE', '乡镇报表在本平台内直接报送县级，不生成加密报表包');
      }
      const sender = await regionKeys.signingKey(r.regionCode, c);
      const recipient = await regionKeys.recipientKey(to, c);
      const now = clock.now();
      const content: PackageContent = {
        format: PACKAGE_FORMAT,
        returnId: r.id,
        template: r.template,
        period: r.period,
        regionCode: r.regionCode,
        regionName: r.regionName,
        status: r.status,
        submittedAt: r.submittedAt,
        approvedAt: r.approvedAt,
        figures: r.figures,
        definitionVersions: r.definitionVersions,
        remarks: r.remarks,
        preparedBy: r.preparedBy,
        responsiblePerson: r.responsiblePerson,
        toRegionCode: to,
        packedAt: now.toISOString(),
      };
      const buffer = buildSignedAndEnveloped(crypto, {
        content: encodeContent(content),
        sender,
        recipient,
        signingTime: now,
      });
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'stat_return.package_export',
          targetType: 'stat_return',
          targetId: r.id,
          changes: { toRegionCode: to, packageDigest: crypto.sm3(buffer), bytes: buffer.length },
        }),
      );
      return { buffer, fileName: `统计报表包-${r.regionName}-${r.period}-${r.template}.der` };
    },

    /**
     * Verifies an uploaded package: the signer is a known key in scope, the signature holds, it is
     * encrypted to the importer's level, the content key and content decrypt, the digest matches and
     * the content is a return of the signer addressed to us. Nothing is stored but the audit row.
     */
    async importPackage(c: RequestContext, bytes: Buffer): Promise<PackageImportResult> {
      const { result, content } = await verify(c, bytes);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'stat_return.package_import',
          targetType: 'stat_return_package',
          targetId: result.packageDigest,
          changes: {
            returnId: content.returnId,
            regionCode: content.regionCode,
            template: content.template,
            period: content.period,
            signedBy: result.signedBy,
          },
        }),
      );
      return result;
    },

    /**
     * Verifies a package as `importPackage` does, then hands it in as the child's submitted return at this
     * level (a child running its own instance): the return then goes through this level's normal review.
     * Refused with PACKAGE_INVALID naming why (signature, recipient, period, region, already handed in);
     * nothing stored then but the audit row of the refusal.
     */
    async acceptPackage(
      c: RequestContext,
      bytes: Buffer,
    ): Promise<{ package: PackageImportResult; statReturn: StatReturnDetail }> {
      if (!returns.acceptPackage) throw new AppError('UNAVAILABLE');
      const { result, content } = await verify(c, bytes);
      try {
        const statReturn = await returns.acceptPackage(c, {
          template: content.template,
          period: content.period,
          regionCode: content.regionCode,
          figures: content.figures,
          definitionVersions: content.definitionVersions,
          remarks: content.remarks,
          preparedBy: content.preparedBy,
          responsiblePerson: content.responsiblePerson,
          signedAt: new Date(result.signedAt),
          signedByName: result.signedByName,
          packageDigest: result.packageDigest,
        });
        return { package: result, statReturn };
      } catch (e) {
        if (e instanceof AppError && e.code === 'PACKAGE_INVALID')
          await db.transaction().execute((trx) =>
            audit.record(trx, c, {
              action: 'stat_return.package_import',
              targetType: 'stat_return_package',
              targetId: result.packageDigest,
              outcome: 'failure',
              changes: { reason: e.details[0]?.code ?? 'REFUSED', regionCode: content.regionCode, accept: true },
            }),
          );
        throw e;
      }
    },

    /** The return as an agile-encrypted (AES-256) xlsx; the password is used once and never kept. */
    async encryptedXlsx(
      c: RequestContext,
      id: string,
      password: string,
    ): Promise<{ buffer: Buffer; fileName: string }> {
      const r = await returns.get(c, id);
      const plain = await returnWorkbook(r, templateInfo(indicators, r.template), chinaDate(clock.now()));
      const buffer = crypto.encryptWorkbook(plain, password);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'stat_return.xlsx_export',
          targetType: 'stat_return',
          targetId: r.id,
          changes: { encrypted: 'agile-aes-256' },
        }),
      );
      return { buffer, fileName: `${r.regionName}-${STAT_TEMPLATE_LABELS[r.template]}-${r.period}.xlsx` };
    },
  };
}
export type StatPackagesService = ReturnType<typeof createStatPackagesService>;
