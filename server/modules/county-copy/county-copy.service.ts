import zlib from 'node:zlib';
import {
  COUNTY_COPY_FORMAT,
  type CountyCopyManifest,
  type CountyCopyQuery,
} from '../../../common/schemas/county-copy.js';
import { TableHasher } from '../../platform/backup/digests.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { buildSignedAndEnveloped } from '../../platform/crypto/gm-envelope.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { levelOfCode, subtreeRange } from '../../platform/scope.js';
import type { RegionKeysService } from '../region-keys/region-keys.service.js';
import * as repo from './county-copy.repository.js';

/** 县级电子备份: the county's copy of its archives and work records, and its manifest. */
export function createCountyCopyService(platform: Platform, regionKeys: RegionKeysService) {
  const { db, crypto, clock, audit } = platform;

  async function county(c: RequestContext, query: CountyCopyQuery) {
    const code = query.regionCode ?? c.actor.regionCode;
    if (levelOfCode(code) !== 'county')
      throw AppError.field('regionCode', '县级电子备份按县（市、区）生成，应为县级区划代码', 'NOT_COUNTY');
    authorize(c.actor, 'countyCopy.export', code);
    const region = await repo.findRegion(db, code);
    if (!region) throw AppError.notFound();
    return region;
  }

  async function collect(code: string, regionName: string) {
    const range = subtreeRange(code, 'county');
    const tables: Record<string, Array<Record<string, unknown>>> = {};
    const digests = [];
    for (const { table } of repo.COUNTY_COPY_TABLES) {
      const rows = await repo.countyRows(db, table, range);
      const h = new TableHasher(crypto, table);
      for (const row of rows) h.add(row);
      digests.push(h.digest(rows[0] ? Object.keys(rows[0]) : []));
      tables[table] = rows;
    }
    const manifest: CountyCopyManifest = {
      format: COUNTY_COPY_FORMAT,
      regionCode: code,
      regionName,
      generatedAt: clock.now().toISOString(),
      tables: digests,
      totalRows: digests.reduce((n, t) => n + t.rows, 0),
      contentSm3: crypto.sm3(digests.map((t) => `${t.name}:${t.rows}:${t.sm3}`).join('\n')),
    };
    return { manifest, tables };
  }

  return {
    /** The manifest of the county's data now: what a copy downloaded now would hold. */
    async manifest(c: RequestContext, query: CountyCopyQuery): Promise<CountyCopyManifest> {
      const region = await county(c, query);
      return (await collect(region.code, region.name)).manifest;
    },

    /**
     * The copy: gzip of `{ manifest, tables }` as JSON, SM4-encrypted under a fresh content key wrapped to the
     * county's SM2 key and signed with it (GB/T 35275 DER). Sealed fields (ID and phone numbers) stay sealed
     * under the deployment's key: the copy carries their masks, never a bulk reveal. Audited.
     */
    async download(c: RequestContext, query: CountyCopyQuery) {
      const region = await county(c, query);
      const { manifest, tables } = await collect(region.code, region.name);
      const content = zlib.gzipSync(Buffer.from(JSON.stringify({ manifest, tables }), 'utf8'));
      const key = await regionKeys.signingKey(region.code, c);
      const buffer = buildSignedAndEnveloped(crypto, {
        content,
        sender: key,
        recipient: { regionCode: region.code, publicKey: key.publicKey },
        signingTime: clock.now(),
      });
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'county_copy.export',
          targetType: 'region',
          targetId: region.code,
          changes: {
            regionCode: region.code,
            rowCount: manifest.totalRows,
            tables: manifest.tables.length,
            version: manifest.contentSm3.slice(0, 16),
          },
        }),
      );
      const stamp = manifest.generatedAt.slice(0, 10);
      return { buffer, manifest, fileName: `县级电子备份-${region.name}-${stamp}.der` };
    },
  };
}
export type CountyCopyService = ReturnType<typeof createCountyCopyService>;
