import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sm2 as v2 } from 'sm-crypto-v2';
import { decode, TAG } from './der.js';
import {
  buildSignedAndEnveloped,
  EnvelopeError,
  keySerial,
  openSignedAndEnveloped,
  parseSignedAndEnveloped,
  type EnvelopeFailure,
  type EnvelopeKeyHolder,
  type OpenKeys,
} from './gm-envelope.js';
import { deriveKeySet } from './keys.js';
import { createSoftwareCryptoProvider } from './software-provider.js';

const crypto = createSoftwareCryptoProvider(deriveKeySet(randomBytes(32)));
const COUNTY = '420102000000';
const CITY = '420100000000';
const PROVINCE = '420000000000';

function holder(regionCode: string): EnvelopeKeyHolder {
  const aad = `region_keys:${regionCode}`;
  return { regionCode, aad, ...crypto.sm2GenerateKeyPair(aad) };
}

const county = holder(COUNTY);
const city = holder(CITY);
const province = holder(PROVINCE);
const CONTENT = Buffer.from(JSON.stringify({ template: 'annual', period: '2025', figures: { families_active: 12 } }));
const AT = new Date('2026-05-10T02:00:00Z');

/** What the city knows: the county's public key, and its own key pair. */
const cityKeys: OpenKeys = {
  signerKey: (code, serial) =>
    code === COUNTY && serial === keySerial(crypto, county.publicKey)
      ? { regionCode: COUNTY, publicKey: county.publicKey }
      : null,
  recipientKey: (code, serial) => (code === CITY && serial === keySerial(crypto, city.publicKey) ? city : null),
};

function build(content = CONTENT) {
  return buildSignedAndEnveloped(crypto, {
    content,
    sender: county,
    recipient: { regionCode: CITY, publicKey: city.publicKey },
    signingTime: AT,
  });
}

function failure(fn: () => unknown): EnvelopeFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnvelopeError) return e.failure;
    throw e;
  }
  throw new Error('expected an EnvelopeError');
}

describe('GB/T 35275 signedAndEnvelopedData', () => {
  const der = build();

  it('opens to the same content, naming the signer, recipient and signing time', () => {
    const opened = openSignedAndEnveloped(crypto, der, cityKeys);
    expect(opened.content).toEqual(CONTENT);
    expect(opened.signer.regionCode).toBe(COUNTY);
    expect(opened.recipient.regionCode).toBe(CITY);
    expect(opened.signingTime.toISOString()).toBe(AT.toISOString());
  });

  it('is a DER ContentInfo with the signedAndEnvelopedData OID and the SM algorithm OIDs', () => {
    // SEQUENCE { OID 1.2.156.10197.6.1.4.2.4, [0] { SignedAndEnvelopedData } }
    expect(der[0]).toBe(0x30);
    expect(der.includes(Buffer.from('060a2a811ccf550601040204', 'hex'))).toBe(true);
    expect(der.includes(Buffer.from('06092a811ccf5501822d03', 'hex'))).toBe(true); // sm2-3 encryption
    expect(der.includes(Buffer.from('06092a811ccf5501822d01', 'hex'))).toBe(true); // sm2-1 signature
    expect(der.includes(Buffer.from('06082a811ccf55018311', 'hex'))).toBe(true); // sm3 1.2.156.10197.1.401
    expect(der.includes(Buffer.from('06082a811ccf55016802', 'hex'))).toBe(true); // sm4-cbc 1.2.156.10197.1.104.2
    const body = decode(der).children[1].children[0];
    expect(body.tag).toBe(TAG.SEQUENCE);
    expect(body.children.map((c) => c.tag)).toEqual([TAG.INTEGER, TAG.SET, TAG.SET, TAG.SEQUENCE, TAG.SET]);
    // The plaintext is nowhere in the package.
    expect(der.includes(Buffer.from('families_active'))).toBe(false);
  });

  it('opens with a second implementation: sm-crypto-v2 unwraps the key and verifies the signature, Node decrypts SM4-CBC', () => {
    const recipient = v2.generateKeyPairHex();
    const pkg = buildSignedAndEnveloped(crypto, {
      content: CONTENT,
      sender: county,
      recipient: { regionCode: CITY, publicKey: recipient.publicKey },
      signingTime: AT,
    });
    const parsed = parseSignedAndEnveloped(pkg);
    const key = v2.doDecrypt(parsed.recipient.encryptedKey.toString('hex'), recipient.privateKey, 1, {
      output: 'array',
      asn1: true,
    });
    expect(key.length).toBe(16);
    const decipher = createDecipheriv('sm4-cbc', Buffer.from(key), parsed.iv);
    const content = Buffer.concat([decipher.update(parsed.encryptedContent), decipher.final()]);
    expect(content).toEqual(CONTENT);
    expect(
      v2.doVerifySignature(
        Uint8Array.from(parsed.signer.signedAttributes),
        parsed.signer.signature.toString('hex'),
        county.publicKey,
        { der: true, hash: true, userId: '1234567812345678' },
      ),
    ).toBe(true);
  });

  it('accepts a package signed by sm-crypto-v2 with a key known here', () => {
    // Re-sign the authenticated attributes with a v2 key and splice the signature in: a foreign signer.
    const foreign = v2.generateKeyPairHex();
    const pkg = buildSignedAndEnveloped(crypto, {
      content: CONTENT,
      sender: { ...county, publicKey: foreign.publicKey },
      recipient: { regionCode: CITY, publicKey: city.publicKey },
      signingTime: AT,
    });
    const parsed = parseSignedAndEnveloped(pkg);
    const ourSig = parsed.signer.signature;
    const theirSig = Buffer.from(
      v2.doSignature(Uint8Array.from(parsed.signer.signedAttributes), foreign.privateKey, { der: true, hash: true }),
      'hex',
    );
    const keys: OpenKeys = {
      ...cityKeys,
      signerKey: (code) => (code === COUNTY ? { regionCode: COUNTY, publicKey: foreign.publicKey } : null),
    };
    // Signed by the county's sealed key under a foreign public key: refused.
    expect(failure(() => openSignedAndEnveloped(crypto, pkg, keys))).toBe('BAD_SIGNATURE');
    const spliced = splice(pkg, ourSig, theirSig);
    expect(openSignedAndEnveloped(crypto, spliced, keys).content).toEqual(CONTENT);
  });

  it('refuses an unknown signer key, a package for another level, and a replaced signer key', () => {
    expect(failure(() => openSignedAndEnveloped(crypto, der, { ...cityKeys, signerKey: () => null }))).toBe(
      'UNKNOWN_SIGNER',
    );
    const toProvince = buildSignedAndEnveloped(crypto, {
      content: CONTENT,
      sender: county,
      recipient: { regionCode: PROVINCE, publicKey: province.publicKey },
      signingTime: AT,
    });
    const err = (() => {
      try {
        openSignedAndEnveloped(crypto, toProvince, cityKeys);
      } catch (e) {
        return e as EnvelopeError;
      }
    })();
    expect(err?.failure).toBe('NOT_FOR_US');
    expect(err?.regionCode).toBe(PROVINCE);
    // Same region, another key (e.g. the county re-keyed and the city still has the old one).
    const stale = holder(COUNTY);
    const keys: OpenKeys = { ...cityKeys, signerKey: () => ({ regionCode: COUNTY, publicKey: stale.publicKey }) };
    expect(failure(() => openSignedAndEnveloped(crypto, der, keys))).toBe('UNKNOWN_SIGNER');
  });

  it('refuses every truncation and non-DER input as MALFORMED', () => {
    for (const cut of [0, 1, 2, 10, der.length >> 1, der.length - 1]) {
      expect(failure(() => openSignedAndEnveloped(crypto, der.subarray(0, cut), cityKeys))).toBe('MALFORMED');
    }
    expect(failure(() => openSignedAndEnveloped(crypto, Buffer.concat([der, Buffer.from([0])]), cityKeys))).toBe(
      'MALFORMED',
    );
    expect(failure(() => openSignedAndEnveloped(crypto, Buffer.from('PK\x03\x04 not a package'), cityKeys))).toBe(
      'MALFORMED',
    );
  });

  it('refuses one flipped byte anywhere: never opens, always a reason', () => {
    const parsed = parseSignedAndEnveloped(der);
    const at = (part: Buffer) => der.indexOf(part);
    const positions = new Set<number>([
      at(parsed.encryptedContent),
      at(parsed.encryptedContent) + parsed.encryptedContent.length - 1,
      at(parsed.iv),
      at(parsed.recipient.encryptedKey) + 10,
      at(parsed.recipient.encryptedKey) + parsed.recipient.encryptedKey.length - 1,
      at(parsed.signer.messageDigest),
      at(parsed.signer.signature) + 8,
    ]);
    for (let i = 0; i < der.length; i += 23) positions.add(i);
    const seen = new Set<EnvelopeFailure>();
    for (const pos of positions) {
      const flipped = Buffer.from(der);
      flipped[pos] ^= 0x01;
      try {
        seen.add(failure(() => openSignedAndEnveloped(crypto, flipped, cityKeys)));
      } catch (e) {
        throw new Error(`a flip at byte ${pos} of ${der.length} opened: ${(e as Error).message}`);
      }
    }
    // The flips hit the structure, the signature, the key wrap, the content and the digest.
    expect(seen).toContain('MALFORMED');
    expect(seen).toContain('BAD_SIGNATURE');
    expect(seen).toContain('KEY_UNWRAP_FAILED');
    expect([...seen].some((f) => f === 'CONTENT_DECRYPT_FAILED' || f === 'DIGEST_MISMATCH')).toBe(true);
  });

  it('uses a fresh content key and IV for every package', () => {
    const a = parseSignedAndEnveloped(build());
    const b = parseSignedAndEnveloped(build());
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.recipient.encryptedKey.equals(b.recipient.encryptedKey)).toBe(false);
    expect(a.encryptedContent.equals(b.encryptedContent)).toBe(false);
  });
});

/** The package with one DER OCTET STRING's content replaced (lengths re-encoded up the tree). */
function splice(pkg: Buffer, from: Buffer, to: Buffer): Buffer {
  const node = decode(pkg);
  const rebuild = (n: ReturnType<typeof decode>): Buffer => {
    if (n.tag === TAG.OCTET_STRING && n.content.equals(from)) return tlvOf(n.tag, to);
    if (!n.children.length) return Buffer.from(n.raw);
    return tlvOf(n.tag, Buffer.concat(n.children.map(rebuild)));
  };
  return rebuild(node);
}

function tlvOf(tag: number, content: Buffer): Buffer {
  const len =
    content.length < 0x80
      ? Buffer.from([content.length])
      : content.length < 0x100
        ? Buffer.from([0x81, content.length])
        : Buffer.from([0x82, content.length >> 8, content.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
