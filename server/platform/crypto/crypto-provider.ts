/**
 * The one door all cryptography goes through (GB/T 39786 §8.4j, security-checklist §4).
 *
 * The software provider (software-provider.ts) runs on Node's OpenSSL SM3/SM4 and is what dev,
 * CI and demo use. Production must put a certified module (GM/T 0018 SDF cipher machine / HSM)
 * behind this same interface; nothing outside this folder may call node:crypto for SM3/SM4 on
 * personal data, so swapping the provider swaps all of it.
 */

/** Blind-index domains in use. Other strings are allowed so a module can add its own. */
export type BlindIndexKind = 'id_number' | 'phone' | (string & {});

export interface CryptoProvider {
  /** 'software-sm' for the Node implementation; a certified provider reports its own. */
  readonly name: string;
  /**
   * Encrypts one field value. `aad` binds the ciphertext to where it belongs (e.g.
   * `family:<id>:id_number`), so a value copied onto another record does not decrypt there.
   * Returns a compact, self-describing token (version, key id, IV, ciphertext, tag).
   */
  encrypt(plain: string, aad: string): string;
  /** Throws CryptoError on any tampering, AAD mismatch, unknown key id or malformed token. */
  decrypt(token: string, aad: string): string;
  /**
   * Hex HMAC-SM3 of a normalised value under the index key, domain-separated by `kind`, for
   * exact search and de-duplication without storing the value. Normalise first (parseIdNumber /
   * parsePhone `value`), or the same number typed two ways gets two indexes.
   */
  blindIndex(kind: BlindIndexKind, normalisedValue: string): string;
  /**
   * `blindIndex` under key version `keyVersion`'s index key. Only for checking the keyed digests inside audit
   * rows (audit-values.ts `auditDigestAt`), which stay as written: one made before a rotation is under the retired
   * version's index key. Never for search — every stored index is re-made under the current key.
   */
  blindIndexAt(kind: BlindIndexKind, normalisedValue: string, keyVersion: number): string;
  /**
   * Hex HMAC-SM3 under the audit key, for the audit hash chain. `keyVersion` (default: `keyVersion`, the current
   * one) picks a retired version's audit key, to verify rows made before a master-key rotation; a version this
   * provider does not hold throws CryptoError `CRYPTO_UNKNOWN_KEY`.
   */
  mac(data: string | Buffer, keyVersion?: number): string;
  /** Hex HMAC-SM3 under the anchor key, signing the audit chain's checkpoints kept outside the database. */
  anchorMac(data: string | Buffer, keyVersion?: number): string;
  /** Hex SM3 digest (GB/T 32905). Not keyed: never use it on guessable personal data. */
  sm3(data: string | Buffer): string;
  /** SM3 over data given in pieces (a backup payload); `digest` is hex. */
  sm3Stream(): { update(data: Buffer): void; digest(): string };

  // — Key versions (`npm run rekey`, docs/crypto-inventory.md "Key versions"). Every sealed value, blind index
  // and wrapped key is re-made under a new master key; the append-only audit chain is not: each row and
  // checkpoint names the key version that made it, and the retired versions' audit, anchor and index keys are
  // kept sealed under the current key-wrap key (table key_versions), so verification needs only the current key.

  /** The field-token key id of the current master key (`k` + 8 hex, derived: names the key, reveals nothing). */
  readonly keyId: string;
  /** The key version new audit rows and checkpoints are made under: 1 until the first rotation. */
  readonly keyVersion: number;
  /** The retired versions this provider holds (from `withKeyVersions`), ascending. */
  readonly retiredVersions: readonly number[];
  /**
   * This provider at `current` with the retired versions opened (rows of key_versions: each sealed under this
   * provider's key-wrap key, bound to `keyVersionAad(version, keyId)`). Throws CryptoError when one does not open.
   */
  withKeyVersions(current: number, retired: readonly SealedKeyVersion[]): CryptoProvider;

  // — Message cryptography (GB/T 35275 packages). A certified module keeps private keys inside
  // and hands out only a sealed form (or a key handle); nothing here ever returns a clear one.

  /** Bytes from the provider's random generator: content keys and IVs. */
  randomBytes(length: number): Buffer;
  /** SM4-CBC with PKCS#7 padding under a caller-held 16-byte content key and 16-byte IV. */
  sm4CbcEncrypt(key: Buffer, iv: Buffer, plain: Buffer): Buffer;
  /** Throws CryptoError on a wrong length or bad padding (a wrong key or a changed ciphertext). */
  sm4CbcDecrypt(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer;
  /**
   * A new SM2 key pair. The public key is hex `04‖X‖Y`; the private key comes back sealed under the
   * provider's key-wrap key and bound to `aad` (e.g. `region_keys:<id>`), to be stored as is.
   */
  sm2GenerateKeyPair(aad: string): { publicKey: string; sealedPrivateKey: string };
  /** SM3-with-SM2 signature (GB/T 32918.2, Z_A with `userId`, default `1234567812345678`), DER `SEQUENCE { r, s }`. */
  sm2Sign(sealedPrivateKey: string, aad: string, data: Buffer, userId?: string): Buffer;
  /** False for a wrong, malformed or foreign signature; never throws. */
  sm2Verify(publicKey: string, data: Buffer, signatureDer: Buffer, userId?: string): boolean;
  /** SM2 public-key encryption (GB/T 32918.4): raw `04‖C1.x‖C1.y‖C3‖C2`, C1C3C2 order. */
  sm2Encrypt(publicKey: string, plain: Buffer): Buffer;
  /** The inverse of sm2Encrypt; throws CryptoError (never returns empty) on a wrong key or a changed ciphertext. */
  sm2Decrypt(sealedPrivateKey: string, aad: string, ciphertext: Buffer): Buffer;
  /**
   * An xlsx encrypted for a person to open (ECMA-376 agile encryption, AES-256-CBC, SHA-512 key
   * derivation): what Excel, WPS and LibreOffice open with the password. The password is used once.
   */
  encryptWorkbook(xlsx: Buffer, password: string): Buffer;

  // — Backup files (platform/backup/format.ts): SM4-CBC under the backup key derived from the master key,
  // encrypt-then-MAC with HMAC-SM3 under the backup MAC key over the header, the IV and the ciphertext.

  /** 16 hex characters that name this deployment's backup key (a keyed digest of a fixed string, not the key). */
  backupKeyCheck(): string;
  /** Encrypts a backup as a stream; `header` (the manifest) is authenticated with it. */
  backupSealer(header: Buffer, iv: Buffer): BackupSealer;
  /**
   * Decrypts a backup as a stream. Plaintext from `update` is not trustworthy until `final(tag)` returns: it
   * throws CryptoError when the tag does not hold (a changed byte, a truncated file, another key).
   */
  backupOpener(header: Buffer, iv: Buffer): BackupOpener;
}

/** A retired key version as stored: its audit, anchor and index keys sealed under the current key-wrap key. */
export interface SealedKeyVersion {
  version: number;
  keyId: string;
  sealed: string;
}

/** What binds a sealed key version to its row. */
export function keyVersionAad(version: number, keyId: string): string {
  return `key_versions:${version}:${keyId}`;
}

/**
 * One master-key rotation (`npm run rekey`), from the provider of the key in use to the one of the new key. The
 * software provider holds both key sets; a certified module does the same inside the module (decrypt-and-
 * re-encrypt, unwrap-and-re-wrap) so no clear key leaves it.
 */
export interface KeyRotation {
  /** The key in use, at its version, with its retired versions. */
  readonly from: CryptoProvider;
  /** The new key at version `from.keyVersion + 1`, holding every retired version and `from`'s own as retired. */
  readonly to: CryptoProvider;
  /**
   * A sealed SM2 private key (as `sm2GenerateKeyPair` made it, bound to `aad`) opened under `from`'s key-wrap
   * key and sealed under `to`'s. The key pair, and so every signature and package made with it, stays.
   */
  rewrapPrivateKey(sealedPrivateKey: string, aad: string): string;
  /** Every retired version `to` holds (the older ones and `from`'s), sealed under `to`'s key-wrap key. */
  sealedRetiredVersions(): SealedKeyVersion[];
}

export interface BackupSealer {
  update(plain: Buffer): Buffer;
  /** The last ciphertext bytes and the 32-byte tag over header ‖ IV ‖ ciphertext. */
  final(): { tail: Buffer; tag: Buffer };
}

export interface BackupOpener {
  update(ciphertext: Buffer): Buffer;
  /** The last plaintext bytes, only when the tag holds. */
  final(tag: Buffer): Buffer;
}

export type CryptoErrorCode = 'CRYPTO_TOKEN_FORMAT' | 'CRYPTO_UNKNOWN_KEY' | 'CRYPTO_INTEGRITY' | 'CRYPTO_INPUT';

/**
 * Cryptographic refusal. Messages are fixed English strings for logs: they never contain the
 * plaintext, the token, key material or the AAD. Callers fail closed on it (ASVS 16.5.2).
 */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    message: string,
    readonly code: CryptoErrorCode = 'CRYPTO_INTEGRITY',
  ) {
    super(message);
  }
}
