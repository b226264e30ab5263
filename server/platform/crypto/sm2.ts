/**
 * SM2 (GB/T 32918) signatures and public-key encryption, over sm-crypto 0.5.8.
 *
 * Why not node:crypto: `crypto.sign` with an SM2-curve key produces ECDSA over that curve, not a
 * GB/T 32918 signature (no Z_A, different equations); neither side verifies the other's.
 *
 * Conventions here, so callers need not know sm-crypto's:
 * - keys are hex: private 64 chars, public uncompressed `04‖X‖Y` (130 chars; compressed 02/03
 *   keys are accepted too);
 * - a string message is UTF-8 text; pass bytes (Uint8Array/Buffer) for anything else;
 * - signatures: SM3 with Z_A (default user id `1234567812345678`), DER-encoded, hex;
 * - ciphertext: C1‖C3‖C2 (GB/T 32918.4-2016 order), hex, with C1's `04` prefix kept, which is
 *   what other implementations (GmSSL, BouncyCastle, openHiTLS) exchange. sm-crypto itself drops
 *   the 04, and a ciphertext whose X happens to start with 04 would then be ambiguous.
 *
 * Randomness: sm-crypto's own generator is RC4 seeded once from the OS. Key pairs and signing
 * nonces here come from node:crypto instead, through the library's `rng` and `pointPool` hooks.
 * sm2Encrypt's ephemeral key cannot be injected and still uses the library's generator.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import smCrypto from 'sm-crypto';
import { CryptoError } from './crypto-provider.js';

const { sm2 } = smCrypto;

export const SM2_DEFAULT_USER_ID = '1234567812345678';
const CIPHER_MODE_C1C3C2 = 1;
/** Curve order n of the SM2 recommended curve (GB/T 32918.5). */
const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const MAX_DER_SIGNATURE_HEX = 2 * 72;
const C1_HEX = 2 + 128;
const C3_HEX = 64;

// jsbn as sm-crypto resolves it, so the BigIntegers we hand to its pointPool are its own kind.
const requireFromSmCrypto = createRequire(createRequire(import.meta.url).resolve('sm-crypto'));
const { BigInteger } = requireFromSmCrypto('jsbn') as { BigInteger: new (hex: string, radix: number) => unknown };

const osRandom = {
  nextBytes(bytes: number[]): void {
    const fresh = randomBytes(bytes.length);
    for (let i = 0; i < bytes.length; i++) bytes[i] = fresh[i];
  },
};

export interface Sm2KeyPair {
  privateKey: string;
  publicKey: string;
}

export interface Sm2SignOptions {
  userId?: string;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex(256, osRandom);
  return { privateKey, publicKey };
}

/** An uncompressed `04‖X‖Y` hex key whose point lies on the SM2 curve. */
export function isValidSm2PublicKey(publicKeyHex: string): boolean {
  if (typeof publicKeyHex !== 'string' || !/^04[0-9a-fA-F]{128}$/.test(publicKeyHex)) return false;
  try {
    return sm2.verifyPublicKey(publicKeyHex.toLowerCase());
  } catch {
    return false;
  }
}

export function sm2PublicKeyFromPrivateKey(privateKeyHex: string): string {
  return sm2.getPublicKeyFromPrivateKey(checkPrivateKey(privateKeyHex));
}

/** DER-encoded hex SM2 signature over SM3(Z_A ‖ msg). */
export function sm2Sign(msg: string | Uint8Array, privateKeyHex: string, opts: Sm2SignOptions = {}): string {
  const d = checkPrivateKey(privateKeyHex);
  return sm2.doSignature(messageBytes(msg), d, {
    hash: true,
    der: true,
    userId: opts.userId ?? SM2_DEFAULT_USER_ID,
    publicKey: sm2.getPublicKeyFromPrivateKey(d),
    pointPool: [signingPoint()],
  });
}

/** False for a wrong, malformed or foreign signature; never throws. */
export function sm2Verify(
  msg: string | Uint8Array,
  signatureHex: string,
  publicKeyHex: string,
  opts: Sm2SignOptions = {},
): boolean {
  try {
    if (typeof signatureHex !== 'string' || signatureHex.length > MAX_DER_SIGNATURE_HEX) return false;
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
    if (typeof publicKeyHex !== 'string' || !sm2.verifyPublicKey(publicKeyHex)) return false;
    return sm2.doVerifySignature(messageBytes(msg), signatureHex.toLowerCase(), publicKeyHex, {
      hash: true,
      der: true,
      userId: opts.userId ?? SM2_DEFAULT_USER_ID,
    });
  } catch {
    return false;
  }
}

/** Hex `04‖C1‖C3‖C2`. Empty messages are refused: sm-crypto reports failure as empty output. */
export function sm2Encrypt(plain: string | Uint8Array, publicKeyHex: string): string {
  const bytes = messageBytes(plain);
  if (bytes.length === 0) throw new CryptoError('SM2 cannot encrypt an empty message', 'CRYPTO_INPUT');
  if (typeof publicKeyHex !== 'string' || !sm2.verifyPublicKey(publicKeyHex)) {
    throw new CryptoError('Invalid SM2 public key', 'CRYPTO_INPUT');
  }
  return `04${sm2.doEncrypt(bytes, publicKeyHex, CIPHER_MODE_C1C3C2)}`;
}

/** Decrypts to UTF-8 text; throws CryptoError if the ciphertext or key is wrong. */
export function sm2Decrypt(cipherHex: string, privateKeyHex: string): string {
  const bytes = sm2DecryptBytes(cipherHex, privateKeyHex);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CryptoError('SM2 plaintext is not UTF-8 text; use sm2DecryptBytes', 'CRYPTO_INPUT');
  }
}

export function sm2DecryptBytes(cipherHex: string, privateKeyHex: string): Uint8Array {
  const d = checkPrivateKey(privateKeyHex);
  if (
    typeof cipherHex !== 'string' ||
    !/^04(?:[0-9a-fA-F]{2})+$/.test(cipherHex) ||
    cipherHex.length <= C1_HEX + C3_HEX
  ) {
    throw new CryptoError('Malformed SM2 ciphertext', 'CRYPTO_TOKEN_FORMAT');
  }
  let out: number[];
  try {
    out = sm2.doDecrypt(cipherHex.slice(2).toLowerCase(), d, CIPHER_MODE_C1C3C2, { output: 'array' });
  } catch {
    out = [];
  }
  if (out.length === 0) throw new CryptoError('SM2 decryption failed', 'CRYPTO_INTEGRITY');
  return Uint8Array.from(out);
}

/** A one-use signing nonce k with x1 = (k·G).x, drawn from node:crypto. */
function signingPoint(): { k: unknown; x1: unknown } {
  const { privateKey: k, publicKey } = sm2.generateKeyPairHex(256, osRandom);
  return { k: new BigInteger(k, 16), x1: new BigInteger(publicKey.slice(2, 66), 16) };
}

/** 1 ≤ d ≤ n−2 (GB/T 32918.1 §6.1): d = n−1 would make (1+d)⁻¹ undefined when signing. */
function checkPrivateKey(privateKeyHex: string): string {
  if (typeof privateKeyHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(privateKeyHex)) {
    throw new CryptoError('Invalid SM2 private key', 'CRYPTO_INPUT');
  }
  const d = BigInt(`0x${privateKeyHex}`);
  if (d < 1n || d > SM2_N - 2n) throw new CryptoError('Invalid SM2 private key', 'CRYPTO_INPUT');
  return privateKeyHex.toLowerCase();
}

function messageBytes(msg: string | Uint8Array): number[] {
  if (typeof msg === 'string') {
    // sm-crypto's own UTF-8 encoder throws a URIError on lone surrogates; encode here instead.
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(msg)) {
      throw new CryptoError('SM2 message is not well-formed Unicode', 'CRYPTO_INPUT');
    }
    return Array.from(Buffer.from(msg, 'utf8'));
  }
  if (msg instanceof Uint8Array) return Array.from(msg);
  throw new CryptoError('SM2 message must be a string or bytes', 'CRYPTO_INPUT');
}
