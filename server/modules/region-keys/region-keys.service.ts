import { randomUUID } from 'node:crypto';
import type { RegionPublicKey, RegionPublicKeyRegister } from '../../../common/schemas/stat-packages.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { CryptoError } from '../../platform/crypto/crypto-provider.js';
import { keySerial, type EnvelopeKeyHolder, type EnvelopeParty } from '../../platform/crypto/gm-envelope.js';
import { sm2PublicKeyFromPem, sm2PublicKeyToPem } from '../../platform/crypto/sm2-pem.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import type { Actor } from '../../platform/scope.js';
import * as repo from './region-keys.repository.js';
import { holdsKey, receivingRegion } from './reporting-levels.js';

const sealAad = (id: string, regionCode: string) => `region_keys:${id}:${regionCode}`;

function toView(row: repo.RegionKeyRow): RegionPublicKey {
  return {
    regionCode: row.region_code,
    regionName: row.region_name,
    algorithm: 'SM2',
    publicKeyPem: sm2PublicKeyToPem(row.public_key),
    publicKey: row.public_key,
    keySerial: row.key_serial,
    origin: row.origin as RegionPublicKey['origin'],
    hasPrivateKey: row.sealed_private_key !== null,
    createdAt: row.created_at,
  };
}

/**
 * The key store of the reporting levels. A level's key pair is generated on first need; its private
 * key exists only sealed by the crypto provider and is used only inside provider calls. Another
 * instance's public key (a city running its own platform) is registered by province or city staff.
 */
export function createRegionKeysService(platform: Platform) {
  const { db, crypto, clock, audit } = platform;

  async function requireKeyRegion(code: string) {
    const region = await repo.findRegion(db, code);
    if (!region) throw AppError.notFound();
    if (!holdsKey(code)) {
      throw AppError.field(
        'code',
        '只有县（市、区）、市州和省持有报表加密密钥，乡镇报表在本平台内直接报送',
        'NO_KEY_LEVEL',
      );
    }
    return region;
  }

  /** The region's active key, generated now (and audited) when it has none. */
  async function activeKey(code: string, c?: RequestContext): Promise<repo.RegionKeyRow> {
    const existing = await repo.findActiveKey(db, code);
    if (existing) return existing;
    const id = randomUUID();
    const { publicKey, sealedPrivateKey } = crypto.sm2GenerateKeyPair(sealAad(id, code));
    try {
      await db.transaction().execute(async (trx) => {
        await repo.insertKey(trx, {
          id,
          region_code: code,
          public_key: publicKey,
          key_serial: keySerial(crypto, publicKey),
          sealed_private_key: sealedPrivateKey,
          origin: 'generated',
          status: 'active',
          created_by: c?.actor.id ?? null,
          created_at: clock.now().toISOString(),
          retired_at: null,
          version: 1,
        });
        await audit.record(trx, c ?? {}, {
          action: 'region_key.generate',
          targetType: 'region_key',
          targetId: id,
          changes: { regionCode: code, keySerial: keySerial(crypto, publicKey) },
        });
      });
    } catch (err) {
      // Another request generated it first: use theirs.
      if (!isUniqueViolation(err)) throw err;
    }
    const row = await repo.findActiveKey(db, code);
    if (!row) throw new AppError('INTERNAL');
    return row;
  }

  /** In scope, or the level the actor's own region reports to (whose key a sending instance must hold). */
  function authorizeRegister(actor: Actor, code: string): void {
    if (can(actor, 'regionKey.register') && receivingRegion(actor.regionCode) === code) return;
    authorize(actor, 'regionKey.register', code);
  }

  return {
    async getPublicKey(c: RequestContext, code: string): Promise<RegionPublicKey> {
      authorize(c.actor, 'regionKey.read', code);
      await requireKeyRegion(code);
      return toView(await activeKey(code, c));
    },

    async registerPublicKey(c: RequestContext, code: string, input: RegionPublicKeyRegister): Promise<RegionPublicKey> {
      authorizeRegister(c.actor, code);
      await requireKeyRegion(code);
      if (code === c.actor.regionCode) {
        throw AppError.field('code', '本级的密钥由本平台生成，不能登记为外部公钥', 'OWN_KEY');
      }
      let publicKey: string;
      try {
        publicKey = sm2PublicKeyFromPem(input.publicKeyPem);
      } catch (e) {
        if (e instanceof CryptoError) {
          throw AppError.field(
            'publicKeyPem',
            '不是有效的 SM2 公钥（应为 PEM 格式的 SubjectPublicKeyInfo，曲线 SM2）',
            'PUBLIC_KEY',
          );
        }
        throw e;
      }
      const serial = keySerial(crypto, publicKey);
      const current = await repo.findActiveKey(db, code);
      if (current?.key_serial === serial) return toView(current);
      const id = randomUUID();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const retired = await repo.retireActiveKey(trx, code, now);
        try {
          await repo.insertKey(trx, {
            id,
            region_code: code,
            public_key: publicKey,
            key_serial: serial,
            sealed_private_key: null,
            origin: 'registered',
            status: 'active',
            created_by: c.actor.id,
            created_at: now,
            retired_at: null,
            version: 1,
          });
        } catch (err) {
          if (isUniqueViolation(err)) {
            throw AppError.field('publicKeyPem', '该公钥曾登记过并已停用，不能再次启用', 'KEY_RETIRED');
          }
          throw err;
        }
        await audit.record(trx, c, {
          action: 'region_key.register',
          targetType: 'region_key',
          targetId: id,
          changes: { regionCode: code, keySerial: serial, replaced: retired ?? null, reason: input.reason },
        });
      });
      const row = await repo.findActiveKey(db, code);
      if (!row) throw new AppError('INTERNAL');
      return toView(row);
    },

    /** The key a level signs its packages with (generated if needed); refused when only a foreign public key is held. */
    async signingKey(code: string, c?: RequestContext): Promise<EnvelopeKeyHolder> {
      const row = await activeKey(code, c);
      if (!row.sealed_private_key) {
        throw new AppError(
          'CONFLICT',
          `${row.region_name}使用在其他平台生成的密钥，本平台不能以其名义签名；请在其所在平台下载报表包`,
        );
      }
      return {
        regionCode: code,
        publicKey: row.public_key,
        sealedPrivateKey: row.sealed_private_key,
        aad: sealAad(row.id, code),
      };
    },

    /** The public key packages to `code` are encrypted to (a local key is generated if needed). */
    async recipientKey(code: string, c?: RequestContext): Promise<EnvelopeParty> {
      const row = await activeKey(code, c);
      return { regionCode: code, publicKey: row.public_key };
    },

    /** A known signer key (active only: a replaced key no longer vouches for new packages). */
    async knownSignerKey(code: string, serial: string): Promise<EnvelopeParty | null> {
      const row = await repo.findActiveKey(db, code);
      return row && row.key_serial === serial ? { regionCode: code, publicKey: row.public_key } : null;
    },

    /** One of our own key pairs (active or retired, so older packages still open), or null. */
    async ownKey(code: string, serial: string): Promise<(EnvelopeKeyHolder & { regionName: string }) | null> {
      const row = await repo.findKeyBySerial(db, code, serial);
      if (!row?.sealed_private_key) return null;
      return {
        regionCode: code,
        regionName: row.region_name,
        publicKey: row.public_key,
        sealedPrivateKey: row.sealed_private_key,
        aad: sealAad(row.id, code),
      };
    },

    regionName: async (code: string) => (await repo.findRegion(db, code))?.name ?? null,
  };
}
export type RegionKeysService = ReturnType<typeof createRegionKeysService>;
