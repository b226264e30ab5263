import { describe, it, expect } from 'vitest';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import smCrypto from 'sm-crypto';
import { CryptoError } from './crypto-provider.js';
import {
  generateSm2KeyPair,
  sm2Decrypt,
  sm2DecryptBytes,
  sm2Encrypt,
  sm2PublicKeyFromPrivateKey,
  sm2Sign,
  sm2Verify,
} from './sm2.js';

// GB/T 32918 example on the recommended curve (GM/T 0003.5-2012 / GB/T 32918.5-2017 annex),
// the same vector openHiTLS, GmSSL and BouncyCastle self-test with.
const D = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
const P =
  '04' +
  '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
  'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const K = '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21';
const R = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
const S = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
// r and s both have the top bit set, so each DER INTEGER gets a 00 pad: 2 × 35 bytes.
const DER_SIGNATURE = `3046022100${R}022100${S}`;
// SM2 encryption example: "encryption standard" with the same key and k, C1‖C3‖C2 with 04.
const CIPHERTEXT =
  '04' +
  '04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73' +
  'e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0' +
  '59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766' +
  '21886ca989ca9c7d58087307ca93092d651efa';

describe('SM2 known answers (GB/T 32918)', () => {
  it('derives the standard public key from the standard private key', () => {
    expect(sm2PublicKeyFromPrivateKey(D)).toBe(P);
  });

  it('verifies the standard signature of "message digest" with the default user id', () => {
    expect(sm2Verify('message digest', DER_SIGNATURE, P)).toBe(true);
    expect(sm2Verify('message digest', DER_SIGNATURE.toUpperCase(), P)).toBe(true);
    expect(sm2Verify('message digest!', DER_SIGNATURE, P)).toBe(false);
    expect(sm2Verify('message digest', DER_SIGNATURE, P, { userId: 'someone-else' })).toBe(false);
  });

  it('produces the standard r and s when the library signs with the standard k', () => {
    // sm2Sign draws k from node:crypto, so the deterministic check drives the library it wraps
    // with the same options (hash with Z_A, default user id) and a fixed point.
    const { BigInteger } = createRequire(createRequire(import.meta.url).resolve('sm-crypto'))('jsbn') as {
      BigInteger: new (hex: string, radix: number) => unknown;
    };
    const kG = smCrypto.sm2.getPublicKeyFromPrivateKey(K);
    const point = { k: new BigInteger(K, 16), x1: new BigInteger(kG.slice(2, 66), 16) };
    const rs = smCrypto.sm2.doSignature('message digest', D, { hash: true, der: false, pointPool: [point] });
    expect(rs).toBe(R + S);
  });

  it('decrypts the standard C1C3C2 ciphertext', () => {
    expect(sm2Decrypt(CIPHERTEXT, D)).toBe('encryption standard');
    expect(Buffer.from(sm2DecryptBytes(CIPHERTEXT.toUpperCase(), D)).toString('hex')).toBe(
      Buffer.from('encryption standard').toString('hex'),
    );
  });
});

describe('SM2 signatures', () => {
  const { privateKey, publicKey } = generateSm2KeyPair();

  it('generates valid key pairs', () => {
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(sm2PublicKeyFromPrivateKey(privateKey)).toBe(publicKey);
    expect(generateSm2KeyPair().privateKey).not.toBe(privateKey);
  });

  it('round-trips and rejects a tampered message, signature, key or user id', () => {
    const msg = '2026年第三季度特别扶助统计报表：420000000000';
    const sig = sm2Sign(msg, privateKey);
    expect(sig).toMatch(/^30[0-9a-f]+$/);
    expect(sm2Verify(msg, sig, publicKey)).toBe(true);
    expect(sm2Verify(`${msg} `, sig, publicKey)).toBe(false);
    expect(sm2Verify(msg, sig, generateSm2KeyPair().publicKey)).toBe(false);
    expect(sm2Verify(msg, sig, publicKey, { userId: 'hubei-province' })).toBe(false);
    const flipped = sig.slice(0, -2) + (sig.slice(-2) === '00' ? '01' : '00');
    expect(sm2Verify(msg, flipped, publicKey)).toBe(false);
  });

  it('uses a fresh nonce each time', () => {
    expect(sm2Sign('same', privateKey)).not.toBe(sm2Sign('same', privateKey));
  });

  it('signs bytes as bytes and text as UTF-8', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const sig = sm2Sign(bytes, privateKey);
    expect(sm2Verify(Buffer.from(bytes), sig, publicKey)).toBe(true);
    expect(sm2Verify(Buffer.from('报表', 'utf8'), sm2Sign('报表', privateKey), publicKey)).toBe(true);
  });

  it('honours a custom user id on both sides', () => {
    const sig = sm2Sign('x', privateKey, { userId: 'hubei-province' });
    expect(sm2Verify('x', sig, publicKey, { userId: 'hubei-province' })).toBe(true);
    expect(sm2Verify('x', sig, publicKey)).toBe(false);
  });

  it('returns false, not an exception, for garbage', () => {
    expect(sm2Verify('x', 'zz', publicKey)).toBe(false);
    expect(sm2Verify('x', '', publicKey)).toBe(false);
    expect(sm2Verify('x', R + S, publicKey)).toBe(false); // raw r‖s, not DER
    expect(sm2Verify('x', DER_SIGNATURE, 'not-a-key')).toBe(false);
    expect(sm2Verify('\uD800', DER_SIGNATURE, P)).toBe(false);
  });

  it('refuses invalid private keys without echoing them', () => {
    for (const bad of ['', '00'.repeat(32), 'ff'.repeat(32), 'g'.repeat(64), D.slice(2)]) {
      expect(() => sm2Sign('x', bad)).toThrow(CryptoError);
    }
    try {
      sm2Sign('x', D.slice(2));
    } catch (e) {
      expect((e as Error).message).not.toContain(D.slice(2, 12));
    }
  });

  it('verifies across many random messages (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (msg) => {
        expect(sm2Verify(msg, sm2Sign(msg, privateKey), publicKey)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe('SM2 encryption', () => {
  const { privateKey, publicKey } = generateSm2KeyPair();

  it('round-trips text and bytes in C1C3C2 with the 04 prefix', () => {
    const c = sm2Encrypt('导出包密钥：特扶', publicKey);
    expect(c).toMatch(/^04[0-9a-f]+$/);
    expect(c.length).toBe(2 + 128 + 64 + 2 * Buffer.byteLength('导出包密钥：特扶'));
    expect(sm2Decrypt(c, privateKey)).toBe('导出包密钥：特扶');
    const key = new Uint8Array(16).fill(7);
    expect(sm2DecryptBytes(sm2Encrypt(key, publicKey), privateKey)).toEqual(key);
  });

  it('throws CryptoError for the wrong key, a flipped byte, or a malformed ciphertext', () => {
    const c = sm2Encrypt('secret', publicKey);
    expect(() => sm2Decrypt(c, generateSm2KeyPair().privateKey)).toThrow(CryptoError);
    for (const pos of [2, 140, c.length - 2]) {
      const flipped = c.slice(0, pos) + (c.slice(pos, pos + 2) === '00' ? '01' : '00') + c.slice(pos + 2);
      expect(() => sm2Decrypt(flipped, privateKey)).toThrow(CryptoError);
    }
    expect(() => sm2Decrypt(c.slice(2), privateKey)).toThrow(CryptoError); // without 04
    expect(() => sm2Decrypt('04abc', privateKey)).toThrow(CryptoError);
  });

  it('refuses empty messages and invalid public keys', () => {
    expect(() => sm2Encrypt('', publicKey)).toThrow(CryptoError);
    expect(() => sm2Encrypt('x', '04' + '00'.repeat(64))).toThrow(CryptoError);
  });

  it('says so when the plaintext is not text', () => {
    const c = sm2Encrypt(new Uint8Array([0xff, 0xfe]), publicKey);
    expect(() => sm2Decrypt(c, privateKey)).toThrow(/sm2DecryptBytes/);
  });
});
