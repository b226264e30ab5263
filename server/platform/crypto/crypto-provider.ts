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
  /** Hex HMAC-SM3 under the audit key, for the audit hash chain. */
  mac(data: string | Buffer): string;
  /** Hex SM3 digest (GB/T 32905). Not keyed: never use it on guessable personal data. */
  sm3(data: string | Buffer): string;
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
