/**
 * CryptoProvider on Node's OpenSSL (SM3, HMAC-SM3, SM4-CBC). For dev, CI and demo; production
 * replaces it with a certified SDF/HSM provider that keeps the same token format.
 *
 * Field token (one string, stored in one column):
 *
 *   v1.<keyId>.<base64url IV>.<base64url ciphertext>.<base64url tag>
 *
 * - SM4-CBC with PKCS#7 padding and a random 16-byte IV per value. Node 20 has no SM4-GCM, so
 *   integrity comes from encrypt-then-MAC:
 * - tag = HMAC-SM3(macKey, "v1" ‖ alg ‖ keyId ‖ IV ‖ ciphertext ‖ AAD), every field
 *   length-prefixed so no two field splits give the same MAC input. The tag is checked in
 *   constant time before anything is decrypted, so CBC padding errors are never observable.
 * - keyId picks the data key: encrypt uses the current one, decrypt any known one (rotation).
 */
import officeCrypto from 'officecrypto-tool';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CryptoError,
  keyVersionAad,
  type BackupOpener,
  type BackupSealer,
  type BlindIndexKind,
  type CryptoProvider,
  type KeyRotation,
} from './crypto-provider.js';
import type { DataKey, KeySet } from './keys.js';
import { generateSm2KeyPair, sm2DecryptBytes, sm2Encrypt, sm2Sign, sm2Verify } from './sm2.js';

export const SOFTWARE_PROVIDER_NAME = 'software-sm';

const TOKEN_VERSION = 'v1';
const FIELD_ALG = 'SM4-CBC/HMAC-SM3';
const CIPHER = 'sm4-cbc';
const HASH = 'sm3';
const BLOCK_BYTES = 16;
const IV_BYTES = 16;
const TAG_BYTES = 32;
const SM4_KEY_BYTES = 16;
const MIN_MAC_KEY_BYTES = 16;
/** Far above any field we encrypt; stops a hostile token from costing real memory or CPU. */
const MAX_TOKEN_CHARS = 1 << 20;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const BLIND_INDEX_DOMAIN = 'guanhuai/blind-index/v1';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Sealed private keys: their own token version and algorithm label, so a field token never opens as one. */
const WRAP_VERSION = 'kw1';
const WRAP_ALG = 'SM2-PRIVATE/SM4-CBC/HMAC-SM3';
const MAX_RANDOM_BYTES = 1024;
const BACKUP_DOMAIN = 'guanhuai/backup/v1/SM4-CBC/HMAC-SM3';
/** Sealed retired key versions (audit ‖ anchor ‖ index keys): their own label, so no other token opens as one. */
const KEY_VERSION_WRAP = 'kv1';
const KEY_VERSION_ALG = 'AUDIT+ANCHOR+INDEX/SM4-CBC/HMAC-SM3';

/** The keys a retired master-key version keeps: enough to verify what the append-only audit log holds. */
interface RetiredKeys {
  keyId: string;
  audit: Buffer;
  anchor: Buffer;
  index: Buffer;
}

/** What a rotation needs of a provider it did not make itself: its key sets, never handed out of this file. */
interface Internals {
  keys: KeySet;
  version: number;
  retired: Map<number, RetiredKeys>;
}
const internals = new WeakMap<CryptoProvider, Internals>();

export function createSoftwareCryptoProvider(keys: KeySet): CryptoProvider {
  return build(keys, 1, new Map());
}

function build(keys: KeySet, keyVersion: number, retired: Map<number, RetiredKeys>): CryptoProvider {
  if (!Number.isSafeInteger(keyVersion) || keyVersion < 1)
    throw new CryptoError('A key version is a whole number from 1', 'CRYPTO_INPUT');
  const dataKeys = copyDataKeys(keys);
  const current = dataKeys.get(keys.currentKeyId);
  if (!current) throw new CryptoError('The current key id has no key', 'CRYPTO_UNKNOWN_KEY');
  const indexKey = copyMacKey(keys.index, 'index');
  const auditKey = copyMacKey(keys.audit, 'audit');
  const anchorKey = copyMacKey(keys.anchor, 'anchor');
  const currentKeyId = keys.currentKeyId;
  const wrapKey: DataKey = { enc: Buffer.from(keys.keyWrap.enc), mac: copyMacKey(keys.keyWrap.mac, 'key-wrap MAC') };
  if (wrapKey.enc.length !== SM4_KEY_BYTES) throw new CryptoError('SM4 keys must be 16 bytes', 'CRYPTO_INPUT');
  const backupKey: DataKey = { enc: Buffer.from(keys.backup.enc), mac: copyMacKey(keys.backup.mac, 'backup MAC') };
  if (backupKey.enc.length !== SM4_KEY_BYTES) throw new CryptoError('SM4 keys must be 16 bytes', 'CRYPTO_INPUT');
  for (const v of retired.keys())
    if (!Number.isSafeInteger(v) || v < 1 || v >= keyVersion)
      throw new CryptoError('A retired key version is below the current one', 'CRYPTO_INPUT');

  /** The audit, anchor or index key of a version: the current one's, or a retired one's. */
  function keyAt(version: number | undefined, which: 'audit' | 'anchor' | 'index'): Buffer {
    if (version === undefined || version === keyVersion)
      return which === 'audit' ? auditKey : which === 'anchor' ? anchorKey : indexKey;
    const r = Number.isSafeInteger(version) ? retired.get(version) : undefined;
    if (!r) throw new CryptoError('No key of that key version is held', 'CRYPTO_UNKNOWN_KEY');
    return r[which];
  }

  function blindIndexUnder(key: Buffer, kind: BlindIndexKind, normalisedValue: string): string {
    if (typeof kind !== 'string' || kind === '') throw new CryptoError('Blind index needs a kind', 'CRYPTO_INPUT');
    // Every empty value would share one index and look like a duplicate of every other.
    if (typeof normalisedValue !== 'string' || normalisedValue === '') {
      throw new CryptoError('Blind index needs a non-empty value', 'CRYPTO_INPUT');
    }
    return hmacFields(key, [
      BLIND_INDEX_DOMAIN,
      textBytes(kind, 'blind index kind'),
      textBytes(normalisedValue, 'blind index value'),
    ]).toString('hex');
  }

  /** HMAC-SM3 over the backup's authenticated prefix; ciphertext is fed in as it streams. */
  function backupMac(header: Buffer, iv: Buffer) {
    if (iv.length !== IV_BYTES) throw new CryptoError('Backup IV must be 16 bytes', 'CRYPTO_INPUT');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(header.length);
    return createHmac(HASH, backupKey.mac).update(BACKUP_DOMAIN).update(len).update(header).update(iv);
  }

  /** The clear private key, for the one call that needs it; never returned to a caller. */
  function openPrivateKey(sealed: string, aad: string): string {
    return openWrapped(wrapKey, WRAP_VERSION, WRAP_ALG, 'private key', sealed, aad).toString('utf8');
  }

  const provider: CryptoProvider = {
    name: SOFTWARE_PROVIDER_NAME,

    encrypt(plain, aad) {
      const plainBytes = textBytes(plain, 'plaintext');
      const aadBytes = textBytes(aad, 'AAD');
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, current.enc, iv);
      const ct = Buffer.concat([cipher.update(plainBytes), cipher.final()]);
      const tag = fieldTag(current.mac, currentKeyId, iv, ct, aadBytes);
      return [TOKEN_VERSION, currentKeyId, b64(iv), b64(ct), b64(tag)].join('.');
    },

    decrypt(token, aad) {
      const aadBytes = textBytes(aad, 'AAD');
      const { keyId, iv, ct, tag } = parseToken(token);
      const key = dataKeys.get(keyId);
      if (!key) throw new CryptoError('Token was encrypted with an unknown key id', 'CRYPTO_UNKNOWN_KEY');
      const expected = fieldTag(key.mac, keyId, iv, ct, aadBytes);
      if (!timingSafeEqual(expected, tag)) {
        throw new CryptoError('Token failed its integrity check (tampered, or wrong AAD)', 'CRYPTO_INTEGRITY');
      }
      try {
        const decipher = createDecipheriv(CIPHER, key.enc, iv);
        return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
      } catch {
        // Only reachable if the MAC key matched but the encryption key did not: a key-set bug.
        throw new CryptoError('Token could not be decrypted', 'CRYPTO_INTEGRITY');
      }
    },

    blindIndex(kind: BlindIndexKind, normalisedValue) {
      return blindIndexUnder(indexKey, kind, normalisedValue);
    },

    blindIndexAt(kind: BlindIndexKind, normalisedValue, version) {
      return blindIndexUnder(keyAt(version, 'index'), kind, normalisedValue);
    },

    mac(data, version) {
      return createHmac(HASH, keyAt(version, 'audit')).update(data).digest('hex');
    },

    anchorMac(data, version) {
      return createHmac(HASH, keyAt(version, 'anchor')).update(data).digest('hex');
    },

    keyId: currentKeyId,
    keyVersion,
    retiredVersions: Object.freeze([...retired.keys()].sort((a, b) => a - b)),

    withKeyVersions(next, sealedVersions) {
      const opened = new Map<number, RetiredKeys>();
      for (const r of sealedVersions) {
        if (opened.has(r.version)) throw new CryptoError('A key version is listed twice', 'CRYPTO_INPUT');
        if (!KEY_ID.test(r.keyId)) throw new CryptoError('Malformed key id', 'CRYPTO_INPUT');
        const clear = openWrapped(
          wrapKey,
          KEY_VERSION_WRAP,
          KEY_VERSION_ALG,
          'key version',
          r.sealed,
          keyVersionAad(r.version, r.keyId),
        );
        try {
          if (clear.length !== 3 * 32) throw new CryptoError('A sealed key version has the wrong length');
          opened.set(r.version, {
            keyId: r.keyId,
            audit: Buffer.from(clear.subarray(0, 32)),
            anchor: Buffer.from(clear.subarray(32, 64)),
            index: Buffer.from(clear.subarray(64, 96)),
          });
        } finally {
          clear.fill(0);
        }
      }
      return build(keys, next, opened);
    },

    sm3(data) {
      return createHash(HASH).update(data).digest('hex');
    },

    randomBytes(length) {
      if (!Number.isInteger(length) || length < 1 || length > MAX_RANDOM_BYTES) {
        throw new CryptoError('Random length out of range', 'CRYPTO_INPUT');
      }
      return randomBytes(length);
    },

    sm4CbcEncrypt(key, iv, plain) {
      checkSm4(key, iv);
      const cipher = createCipheriv(CIPHER, key, iv);
      return Buffer.concat([cipher.update(plain), cipher.final()]);
    },

    sm4CbcDecrypt(key, iv, ciphertext) {
      checkSm4(key, iv);
      if (ciphertext.length === 0 || ciphertext.length % BLOCK_BYTES !== 0) {
        throw new CryptoError('SM4-CBC ciphertext is not a whole number of blocks', 'CRYPTO_TOKEN_FORMAT');
      }
      try {
        const decipher = createDecipheriv(CIPHER, key, iv);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        throw new CryptoError('SM4-CBC decryption failed (wrong key or changed ciphertext)', 'CRYPTO_INTEGRITY');
      }
    },

    sm2GenerateKeyPair(aad) {
      const { privateKey, publicKey } = generateSm2KeyPair();
      return {
        publicKey,
        sealedPrivateKey: sealWrapped(wrapKey, WRAP_VERSION, WRAP_ALG, Buffer.from(privateKey), aad),
      };
    },

    sm2Sign(sealedPrivateKey, aad, data, userId) {
      const d = openPrivateKey(sealedPrivateKey, aad);
      return Buffer.from(sm2Sign(data, d, userId === undefined ? {} : { userId }), 'hex');
    },

    sm2Verify(publicKey, data, signatureDer, userId) {
      if (!(signatureDer instanceof Uint8Array)) return false;
      return sm2Verify(
        data,
        Buffer.from(signatureDer).toString('hex'),
        publicKey,
        userId === undefined ? {} : { userId },
      );
    },

    sm2Encrypt(publicKey, plain) {
      return Buffer.from(sm2Encrypt(plain, publicKey), 'hex');
    },

    sm2Decrypt(sealedPrivateKey, aad, ciphertext) {
      const d = openPrivateKey(sealedPrivateKey, aad);
      return Buffer.from(sm2DecryptBytes(Buffer.from(ciphertext).toString('hex'), d));
    },

    encryptWorkbook(xlsx, password) {
      if (typeof password !== 'string' || password.length === 0 || password.length > 255) {
        throw new CryptoError('A workbook password is 1–255 characters', 'CRYPTO_INPUT');
      }
      // officecrypto-tool writes ECMA-376 agile encryption: AES-256-CBC, SHA-512, 100,000 spins.
      return officeCrypto.encrypt(xlsx, { password });
    },

    sm3Stream() {
      const h = createHash(HASH);
      return {
        update: (data: Buffer) => void h.update(data),
        digest: () => h.digest('hex'),
      };
    },

    backupKeyCheck() {
      return createHmac(HASH, backupKey.mac).update('guanhuai/backup/key-check/v1').digest('hex').slice(0, 16);
    },

    backupSealer(header, iv): BackupSealer {
      const mac = backupMac(header, iv);
      const cipher = createCipheriv(CIPHER, backupKey.enc, iv);
      return {
        update(plain) {
          const ct = cipher.update(plain);
          mac.update(ct);
          return ct;
        },
        final() {
          const tail = cipher.final();
          mac.update(tail);
          return { tail, tag: mac.digest() };
        },
      };
    },

    backupOpener(header, iv): BackupOpener {
      const mac = backupMac(header, iv);
      const decipher = createDecipheriv(CIPHER, backupKey.enc, iv);
      return {
        update(ct) {
          mac.update(ct);
          return decipher.update(ct);
        },
        final(tag) {
          const expected = mac.digest();
          if (tag.length !== TAG_BYTES || !timingSafeEqual(expected, tag))
            throw new CryptoError('Backup failed its integrity check (changed, truncated or another key)');
          try {
            return decipher.final();
          } catch {
            throw new CryptoError('Backup padding is wrong', 'CRYPTO_INTEGRITY');
          }
        },
      };
    },
  };
  internals.set(provider, { keys, version: keyVersion, retired });
  return provider;
}

/**
 * A master-key rotation (`npm run rekey`) from `from` (a software provider, at its version with its retired
 * ones) to the key set `to`: the new provider is at the next version and holds `from`'s audit, anchor and index
 * keys as retired, besides the older retired ones.
 */
export function createSoftwareKeyRotation(from: CryptoProvider, to: KeySet): KeyRotation {
  const f = internals.get(from);
  if (!f) throw new CryptoError('Only a software provider rotates to a software key set', 'CRYPTO_INPUT');
  if (to.currentKeyId === f.keys.currentKeyId)
    throw new CryptoError('The new master key is the one in use', 'CRYPTO_INPUT');
  const retired = new Map(f.retired);
  retired.set(f.version, {
    keyId: f.keys.currentKeyId,
    audit: Buffer.from(f.keys.audit),
    anchor: Buffer.from(f.keys.anchor),
    index: Buffer.from(f.keys.index),
  });
  if ([...retired.values()].some((r) => r.keyId === to.currentKeyId))
    throw new CryptoError('The new master key is a retired one', 'CRYPTO_INPUT');
  const next = build(to, f.version + 1, retired);
  const fromWrap: DataKey = { enc: f.keys.keyWrap.enc, mac: f.keys.keyWrap.mac };
  const toWrap: DataKey = { enc: to.keyWrap.enc, mac: to.keyWrap.mac };
  return {
    from,
    to: next,
    rewrapPrivateKey(sealed, aad) {
      const clear = openWrapped(fromWrap, WRAP_VERSION, WRAP_ALG, 'private key', sealed, aad);
      try {
        return sealWrapped(toWrap, WRAP_VERSION, WRAP_ALG, clear, aad);
      } finally {
        clear.fill(0);
      }
    },
    sealedRetiredVersions() {
      return [...retired.entries()]
        .sort(([a], [b]) => a - b)
        .map(([version, r]) => {
          const clear = Buffer.concat([r.audit, r.anchor, r.index]);
          try {
            const aad = keyVersionAad(version, r.keyId);
            return {
              version,
              keyId: r.keyId,
              sealed: sealWrapped(toWrap, KEY_VERSION_WRAP, KEY_VERSION_ALG, clear, aad),
            };
          } finally {
            clear.fill(0);
          }
        });
    },
  };
}

/** SM4-CBC + HMAC-SM3 under a key-wrap key: `<label>.<iv>.<ct>.<tag>`, the tag over label ‖ alg ‖ IV ‖ ct ‖ AAD. */
function sealWrapped(key: DataKey, label: string, alg: string, clear: Buffer, aad: string): string {
  const aadBytes = textBytes(aad, 'AAD');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key.enc, iv);
  const ct = Buffer.concat([cipher.update(clear), cipher.final()]);
  const tag = hmacFields(key.mac, [label, alg, iv, ct, aadBytes]);
  return [label, b64(iv), b64(ct), b64(tag)].join('.');
}

/** The inverse of sealWrapped; the tag is checked in constant time before anything is decrypted. */
function openWrapped(key: DataKey, label: string, alg: string, what: string, sealed: string, aad: string): Buffer {
  const malformed = () => new CryptoError(`Malformed sealed ${what}`, 'CRYPTO_TOKEN_FORMAT');
  if (typeof sealed !== 'string' || sealed.length > 1024) throw malformed();
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== label) throw malformed();
  const [iv, ct, tag] = parts.slice(1).map((p) => fromB64(p, malformed));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES || ct.length === 0 || ct.length % BLOCK_BYTES !== 0) {
    throw malformed();
  }
  const expected = hmacFields(key.mac, [label, alg, iv, ct, textBytes(aad, 'AAD')]);
  if (!timingSafeEqual(expected, tag)) {
    throw new CryptoError(`Sealed ${what} failed its integrity check (tampered, or wrong AAD)`, 'CRYPTO_INTEGRITY');
  }
  const decipher = createDecipheriv(CIPHER, key.enc, iv);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}

function checkSm4(key: Buffer, iv: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== SM4_KEY_BYTES)
    throw new CryptoError('SM4 keys must be 16 bytes', 'CRYPTO_INPUT');
  if (!Buffer.isBuffer(iv) || iv.length !== IV_BYTES)
    throw new CryptoError('SM4-CBC IVs must be 16 bytes', 'CRYPTO_INPUT');
}

/** The key id a token was made with, for re-encryption jobs after a rotation; undefined if malformed. */
export function tokenKeyId(token: string): string | undefined {
  if (typeof token !== 'string') return undefined;
  const parts = token.split('.');
  return parts.length === 5 && parts[0] === TOKEN_VERSION && KEY_ID.test(parts[1]) ? parts[1] : undefined;
}

function parseToken(token: string): { keyId: string; iv: Buffer; ct: Buffer; tag: Buffer } {
  const malformed = () => new CryptoError('Malformed encrypted value', 'CRYPTO_TOKEN_FORMAT');
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) throw malformed();
  const parts = token.split('.');
  if (parts.length !== 5 || parts[0] !== TOKEN_VERSION || !KEY_ID.test(parts[1])) throw malformed();
  const [iv, ct, tag] = parts.slice(2).map((p) => fromB64(p, malformed));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw malformed();
  if (ct.length === 0 || ct.length % BLOCK_BYTES !== 0) throw malformed();
  return { keyId: parts[1], iv, ct, tag };
}

function fieldTag(macKey: Buffer, keyId: string, iv: Buffer, ct: Buffer, aad: Buffer): Buffer {
  return hmacFields(macKey, [TOKEN_VERSION, FIELD_ALG, keyId, iv, ct, aad]);
}

/** HMAC-SM3 over length-prefixed fields: unambiguous, unlike plain concatenation. */
function hmacFields(key: Buffer, fields: Array<string | Buffer>): Buffer {
  const mac = createHmac(HASH, key);
  for (const field of fields) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    mac.update(len).update(bytes);
  }
  return mac.digest();
}

/**
 * UTF-8 bytes of a string. A lone surrogate would silently become U+FFFD, so a value would not
 * round-trip and two different AADs could collide; refuse it instead.
 */
function textBytes(s: string, what: string): Buffer {
  if (typeof s !== 'string') throw new CryptoError(`The ${what} must be a string`, 'CRYPTO_INPUT');
  if (LONE_SURROGATE.test(s)) throw new CryptoError(`The ${what} is not well-formed Unicode`, 'CRYPTO_INPUT');
  return Buffer.from(s, 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict base64url: Node's decoder skips junk and ignores spare bits, so re-encode and compare. */
function fromB64(text: string, malformed: () => CryptoError): Buffer {
  if (!BASE64URL.test(text)) throw malformed();
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw malformed();
  return bytes;
}

function copyDataKeys(keys: KeySet): Map<string, DataKey> {
  // A Map, not the record: a token naming "__proto__" or "constructor" must find nothing.
  const map = new Map<string, DataKey>();
  for (const [id, key] of Object.entries(keys.keys)) {
    if (!KEY_ID.test(id)) throw new CryptoError('Key ids must be 1–32 characters of [A-Za-z0-9_-]', 'CRYPTO_INPUT');
    if (key.enc.length !== SM4_KEY_BYTES) throw new CryptoError('SM4 keys must be 16 bytes', 'CRYPTO_INPUT');
    map.set(id, { enc: Buffer.from(key.enc), mac: copyMacKey(key.mac, 'field MAC') });
  }
  return map;
}

function copyMacKey(key: Buffer, what: string): Buffer {
  if (key.length < MIN_MAC_KEY_BYTES) {
    throw new CryptoError(`The ${what} key must be at least ${MIN_MAC_KEY_BYTES} bytes`, 'CRYPTO_INPUT');
  }
  return Buffer.from(key);
}
