/**
 * The provider's SM2/SM3/SM4 against a second implementation (sm-crypto-v2, native BigInt over
 * noble-curves) and the standards' vectors, plus the traps of research-2026-12 §B: the 04 prefix,
 * C1C2C3 vs C1C3C2 (a silent empty string), and Node's empty-user-id SM2 signatures.
 */
import {
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import smCrypto from 'sm-crypto';
import { sm2 as v2, sm3 as v2sm3 } from 'sm-crypto-v2';
import { CryptoError } from './crypto-provider.js';
import { sm2CipherFromDer, sm2CipherToDer } from './gm-envelope.js';
import { deriveKeySet } from './keys.js';
import { createSoftwareCryptoProvider } from './software-provider.js';

const v1 = smCrypto.sm2;
const provider = createSoftwareCryptoProvider(deriveKeySet(randomBytes(32)));
const AAD = 'region_keys:test';
const MSG = Buffer.from('2025年度计划生育特殊家庭及联系帮扶情况统计表', 'utf8');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// GM/T 0003.5 / GB/T 32918.5 example on the recommended curve (the one sm2.test.ts pins for sm-crypto).
const STD_D = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
const STD_P =
  '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const STD_K = '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21';
const STD_R = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
const STD_S = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';

describe('standard vectors through the provider', () => {
  it('SM3 (GB/T 32905): "abc" and the 512-bit message', () => {
    expect(provider.sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(provider.sm3('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
    expect(v2sm3('abc')).toBe(provider.sm3('abc'));
  });

  it('SM4 (GB/T 32907): the first CBC block under a zero IV is the standard ECB vector', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const out = provider.sm4CbcEncrypt(key, Buffer.alloc(16), key);
    expect(out.subarray(0, 16).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(out.length).toBe(32); // PKCS#7 adds a whole block to a whole-block message
    expect(provider.sm4CbcDecrypt(key, Buffer.alloc(16), out)).toEqual(key);
  });

  it('SM2 signature (GM/T 0003.5 example): sm-crypto-v2 with the standard k gives the standard r, s, and the provider verifies it', () => {
    const rs = v2.doSignature('message digest', STD_D, {
      hash: true,
      der: false,
      pointPool: [{ k: BigInt(`0x${STD_K}`), x1: BigInt(`0x${v2.getPublicKeyFromPrivateKey(STD_K).slice(2, 66)}`) }],
    });
    expect(rs).toBe(STD_R + STD_S);
    const der = Buffer.from(`3046022100${STD_R}022100${STD_S}`, 'hex');
    expect(provider.sm2Verify(STD_P, Buffer.from('message digest'), der)).toBe(true);
    expect(provider.sm2Verify(STD_P, Buffer.from('message digest'), der, 'ALICE123@YAHOO.COM')).toBe(false);
  });
});

describe('SM2 signatures cross-checked', () => {
  const own = provider.sm2GenerateKeyPair(AAD);

  it('provider signatures verify in sm-crypto-v2 and in sm-crypto with the default user id', () => {
    const sig = provider.sm2Sign(own.sealedPrivateKey, AAD, MSG);
    expect(sig[0]).toBe(0x30);
    expect(v2.doVerifySignature(Uint8Array.from(MSG), hex(sig), own.publicKey, { der: true, hash: true })).toBe(true);
    expect(v1.doVerifySignature(Array.from(MSG), hex(sig), own.publicKey, { der: true, hash: true })).toBe(true);
    expect(
      v2.doVerifySignature(Uint8Array.from(MSG), hex(sig), own.publicKey, { der: true, hash: true, userId: 'x' }),
    ).toBe(false);
  });

  it('sm-crypto-v2 and sm-crypto signatures verify in the provider', () => {
    const k2 = v2.generateKeyPairHex();
    const s2 = v2.doSignature(Uint8Array.from(MSG), k2.privateKey, { der: true, hash: true });
    expect(provider.sm2Verify(k2.publicKey, MSG, Buffer.from(s2, 'hex'))).toBe(true);
    expect(provider.sm2Verify(k2.publicKey, Buffer.concat([MSG, Buffer.from(' ')]), Buffer.from(s2, 'hex'))).toBe(
      false,
    );
    const k1 = v1.generateKeyPairHex();
    const s1 = v1.doSignature(Array.from(MSG), k1.privateKey, { der: true, hash: true, publicKey: k1.publicKey });
    expect(provider.sm2Verify(k1.publicKey, MSG, Buffer.from(s1, 'hex'))).toBe(true);
    // And the two libraries agree with each other.
    expect(v2.doVerifySignature(Uint8Array.from(MSG), s1, k1.publicKey, { der: true, hash: true })).toBe(true);
    expect(v1.doVerifySignature(Array.from(MSG), s2, k2.publicKey, { der: true, hash: true })).toBe(true);
  });

  it("trap: Node's OpenSSL SM2 signatures (empty user id) and its ECDSA-on-SM2 must NOT verify as ours", () => {
    const generated = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const spki = generated.publicKey.export({ format: 'der', type: 'spki' });
    const pubHex = hex(spki.subarray(spki.length - 65));
    expect(pubHex.startsWith('04')).toBe(true);
    // As generated, Node 20 holds an 'ec' key: crypto.sign makes ECDSA over the SM2 curve, no Z_A at all.
    const ecdsa = nodeSign('sm3', MSG, generated.privateKey);
    expect(provider.sm2Verify(pubHex, MSG, ecdsa)).toBe(false);
    expect(provider.sm2Verify(pubHex, MSG, ecdsa, '')).toBe(false);
    // Imported from DER, OpenSSL treats it as an SM2 key and makes a real SM2 signature — with an
    // empty user id. It verifies with '' (so the Z value is the only difference) and not as ours.
    const pkcs8 = generated.privateKey.export({ format: 'der', type: 'pkcs8' });
    const sm2Key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    const sm2Sig = nodeSign('sm3', MSG, sm2Key);
    expect(nodeVerify('sm3', MSG, createPublicKey({ key: spki, format: 'der', type: 'spki' }), sm2Sig)).toBe(true);
    expect(provider.sm2Verify(pubHex, MSG, sm2Sig, '')).toBe(true);
    expect(provider.sm2Verify(pubHex, MSG, sm2Sig)).toBe(false);
  });
});

describe('SM2 encryption cross-checked', () => {
  const own = provider.sm2GenerateKeyPair(AAD);
  const key = randomBytes(16);

  it('provider ciphertext (04‖C1‖C3‖C2) decrypts in sm-crypto-v2 and sm-crypto once the 04 is dropped', () => {
    const k2 = v2.generateKeyPairHex();
    const c = provider.sm2Encrypt(k2.publicKey, key);
    expect(c[0]).toBe(0x04);
    expect(c.length).toBe(1 + 64 + 32 + 16);
    expect(v2.doDecrypt(hex(c.subarray(1)), k2.privateKey, 1, { output: 'array' })).toEqual(Uint8Array.from(key));
    expect(v1.doDecrypt(hex(c.subarray(1)), k2.privateKey, 1, { output: 'array' })).toEqual(Array.from(key));
  });

  it('sm-crypto-v2 and sm-crypto ciphertexts decrypt in the provider with the 04 added', () => {
    const c2 = v2.doEncrypt(Uint8Array.from(key), own.publicKey, 1);
    const c1 = v1.doEncrypt(Array.from(key), own.publicKey, 1);
    for (const c of [c2, c1]) {
      expect(c.length).toBe(2 * (64 + 32 + 16)); // no 04
      expect(provider.sm2Decrypt(own.sealedPrivateKey, AAD, Buffer.from(`04${c}`, 'hex'))).toEqual(key);
    }
  });

  it('GM/T 0009 DER SM2Cipher: ours decrypts in sm-crypto-v2 (asn1), and v2’s parses and decrypts here', () => {
    const k2 = v2.generateKeyPairHex();
    const der = sm2CipherToDer(provider.sm2Encrypt(k2.publicKey, key));
    expect(der[0]).toBe(0x30);
    expect(v2.doDecrypt(hex(der), k2.privateKey, 1, { output: 'array', asn1: true })).toEqual(Uint8Array.from(key));
    const theirs = Buffer.from(v2.doEncrypt(Uint8Array.from(key), own.publicKey, 1, { asn1: true }), 'hex');
    expect(provider.sm2Decrypt(own.sealedPrivateKey, AAD, sm2CipherFromDer(theirs))).toEqual(key);
    expect(sm2CipherToDer(sm2CipherFromDer(theirs))).toEqual(theirs);
  });

  it('trap: without the 04 prefix the provider refuses instead of guessing', () => {
    const c = v1.doEncrypt(Array.from(key), own.publicKey, 1);
    expect(() => provider.sm2Decrypt(own.sealedPrivateKey, AAD, Buffer.from(c, 'hex'))).toThrow(CryptoError);
  });

  it('trap: C1C2C3 read as C1C3C2 gives the libraries an empty string silently; the provider throws', () => {
    const own1 = v1.generateKeyPairHex();
    const c1c2c3 = v1.doEncrypt('abc', own1.publicKey, 0);
    expect(c1c2c3.length).toBe(198);
    expect(v1.doDecrypt(c1c2c3, own1.privateKey, 1)).toBe(''); // the silent failure
    expect(v2.doDecrypt(c1c2c3, own1.privateKey, 1)).toBe('');
    const wrongOrder = v1.doEncrypt(Array.from(key), own.publicKey, 0);
    expect(() => provider.sm2Decrypt(own.sealedPrivateKey, AAD, Buffer.from(`04${wrongOrder}`, 'hex'))).toThrow(
      /SM2 decryption failed/,
    );
  });
});

describe('sealed private keys', () => {
  it('never show the private key, and open only with the same AAD and master key', () => {
    const pair = provider.sm2GenerateKeyPair(AAD);
    expect(pair.sealedPrivateKey).toMatch(/^kw1\./);
    const sig = provider.sm2Sign(pair.sealedPrivateKey, AAD, MSG);
    expect(provider.sm2Verify(pair.publicKey, MSG, sig)).toBe(true);
    expect(() => provider.sm2Sign(pair.sealedPrivateKey, 'region_keys:other', MSG)).toThrow(CryptoError);
    const other = createSoftwareCryptoProvider(deriveKeySet(randomBytes(32)));
    expect(() => other.sm2Sign(pair.sealedPrivateKey, AAD, MSG)).toThrow(CryptoError);
    const parts = pair.sealedPrivateKey.split('.');
    parts[2] = parts[2].slice(0, -2) + (parts[2].endsWith('AA') ? 'AB' : 'AA');
    expect(() => provider.sm2Sign(parts.join('.'), AAD, MSG)).toThrow(CryptoError);
    // A field token is not a sealed key, even under the same provider.
    expect(() => provider.sm2Sign(provider.encrypt('x', AAD), AAD, MSG)).toThrow(CryptoError);
  });

  it('SM4-CBC refuses a wrong key or a changed ciphertext as CryptoError, never as garbage', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    const ct = provider.sm4CbcEncrypt(key, iv, MSG);
    // Node's own cipher agrees byte for byte.
    const node = createCipheriv('sm4-cbc', key, iv);
    expect(Buffer.concat([node.update(MSG), node.final()])).toEqual(ct);
    expect(() => provider.sm4CbcDecrypt(key, iv, ct.subarray(0, ct.length - 1))).toThrow(CryptoError);
    expect(() => provider.sm4CbcEncrypt(Buffer.alloc(8), iv, MSG)).toThrow(CryptoError);
  });
});
