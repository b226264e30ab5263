/**
 * GB/T 35275-2017 (GM/T 0010-2012) signedAndEnvelopedData, built and opened over the CryptoProvider.
 *
 * No JavaScript library emits this message end to end, so it is written here from the standard's
 * ASN.1 (PKCS #7 v1.5 shapes with the SM OIDs), on our own small DER codec (der.ts). Every
 * cryptographic operation is a provider call, so a certified module replaces all of it.
 * docs/crypto-inventory.md describes the result byte by byte.
 *
 * Choices the standard leaves open, fixed here:
 * - No certificates (the platform runs no CA). A party is named, as IssuerAndSerialNumber needs, by
 *   the Name `C=CN, O=guanhuai, CN=<12-digit region code>` and a serial that is the first 16 bytes of
 *   SM3 over its public key `04‖X‖Y`. The receiver knows the sender's public key beforehand (same
 *   instance, or registered); a package naming an unknown key is refused.
 * - The signer signs authenticated attributes (contentType, signingTime, messageDigest = SM3 of the
 *   content), SM3-with-SM2 with the GM/T 0009 default user id, like GmSSL's signedData; the signature
 *   is not encrypted a second time (GmSSL does not either).
 * - One recipient, one signer.
 */
import { CryptoError, type CryptoProvider } from './crypto-provider.js';
import {
  contextTag,
  decode,
  DerError,
  expect,
  explicit,
  implicitConstructed,
  implicitPrimitive,
  integer,
  items,
  objectIdentifier,
  octetString,
  printableString,
  readOctets,
  readOid,
  readSmallInt,
  readText,
  readUnsigned,
  readUtcTime,
  sequence,
  setOf,
  TAG,
  tlv,
  utcTime,
  utf8String,
  type DerNode,
} from './der.js';
import { SM2_DEFAULT_USER_ID } from './sm2.js';

export const OID = {
  data: '1.2.156.10197.6.1.4.2.1',
  signedAndEnvelopedData: '1.2.156.10197.6.1.4.2.4',
  sm2Sign: '1.2.156.10197.1.301.1',
  sm2Encrypt: '1.2.156.10197.1.301.3',
  sm3: '1.2.156.10197.1.401',
  sm4Cbc: '1.2.156.10197.1.104.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  countryName: '2.5.4.6',
  organizationName: '2.5.4.10',
  commonName: '2.5.4.3',
} as const;

const ORGANIZATION = 'guanhuai';
const SM4_KEY_BYTES = 16;
const SM4_IV_BYTES = 16;
const COORDINATE_BYTES = 32;
const SM3_BYTES = 32;
const SERIAL_BYTES = 16;

/** Why a package was refused; the service says it in Chinese. */
export type EnvelopeFailure =
  | 'MALFORMED'
  | 'UNSUPPORTED'
  | 'UNKNOWN_SIGNER'
  | 'BAD_SIGNATURE'
  | 'NOT_FOR_US'
  | 'KEY_UNWRAP_FAILED'
  | 'CONTENT_DECRYPT_FAILED'
  | 'DIGEST_MISMATCH';

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly failure: EnvelopeFailure,
    message: string,
    /** The region a party claims to be (signer or recipient), when known. */
    readonly regionCode?: string,
  ) {
    super(message);
  }
}

/** A party's public identity: its region and SM2 public key (hex `04‖X‖Y`). */
export interface EnvelopeParty {
  regionCode: string;
  publicKey: string;
}

/** A party that holds its private key (sealed by the provider, bound to `aad`). */
export interface EnvelopeKeyHolder extends EnvelopeParty {
  sealedPrivateKey: string;
  aad: string;
}

/** The key serial of a public key: first 16 bytes of SM3(04‖X‖Y), hex. */
export function keySerial(crypto: CryptoProvider, publicKey: string): string {
  return crypto.sm3(Buffer.from(publicKey, 'hex')).slice(0, SERIAL_BYTES * 2);
}

function issuerAndSerial(crypto: CryptoProvider, party: EnvelopeParty): Buffer {
  if (!/^\d{12}$/.test(party.regionCode))
    throw new CryptoError('A party is named by a 12-digit region code', 'CRYPTO_INPUT');
  return sequence(partyName(party.regionCode), integer(Buffer.from(keySerial(crypto, party.publicKey), 'hex')));
}

const algorithm = (oid: string, params?: Buffer) =>
  params ? sequence(objectIdentifier(oid), params) : sequence(objectIdentifier(oid));

/** GM/T 0009 SM2Cipher ::= SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING(32), cipherText OCTET STRING }. */
export function sm2CipherToDer(raw: Buffer): Buffer {
  if (raw.length <= 1 + 2 * COORDINATE_BYTES + SM3_BYTES || raw[0] !== 0x04) {
    throw new CryptoError('Not a 04‖C1‖C3‖C2 SM2 ciphertext', 'CRYPTO_INPUT');
  }
  const x = raw.subarray(1, 33);
  const y = raw.subarray(33, 65);
  const c3 = raw.subarray(65, 97);
  const c2 = raw.subarray(97);
  return sequence(integer(x), integer(y), octetString(c3), octetString(c2));
}

export function sm2CipherFromDer(der: Buffer): Buffer {
  const [x, y, c3, c2] = items(expect(decode(der), TAG.SEQUENCE, 'SM2Cipher'), 'SM2Cipher', 4);
  const coordinate = (node: DerNode, what: string) => {
    const bytes = readUnsigned(node, what);
    if (bytes.length > COORDINATE_BYTES) throw new DerError(`${what} longer than 32 bytes`);
    return Buffer.concat([Buffer.alloc(COORDINATE_BYTES - bytes.length), bytes]);
  };
  const hash = readOctets(c3, 'SM2Cipher.hash');
  if (hash.length !== SM3_BYTES) throw new DerError('SM2Cipher.hash is not 32 bytes');
  const text = readOctets(c2, 'SM2Cipher.cipherText');
  if (text.length === 0) throw new DerError('SM2Cipher.cipherText is empty');
  return Buffer.concat([Buffer.from([0x04]), coordinate(x, 'SM2Cipher.x'), coordinate(y, 'SM2Cipher.y'), hash, text]);
}

function signedAttributes(contentDigest: Buffer, signingTime: Date): Buffer {
  const attribute = (oid: string, value: Buffer) => sequence(objectIdentifier(oid), setOf(value));
  // The content of the SET OF; tagged [0] IMPLICIT in SignerInfo and SET (0x31) when signed (RFC 5652 §5.4).
  return setOf(
    attribute(OID.contentType, objectIdentifier(OID.data)),
    attribute(OID.signingTime, utcTime(signingTime)),
    attribute(OID.messageDigest, octetString(contentDigest)),
  );
}

export interface BuildInput {
  content: Buffer;
  sender: EnvelopeKeyHolder;
  recipient: EnvelopeParty;
  signingTime: Date;
}

/** The DER ContentInfo { signedAndEnvelopedData } of `content`, for `recipient`, signed by `sender`. */
export function buildSignedAndEnveloped(crypto: CryptoProvider, input: BuildInput): Buffer {
  const { content, sender, recipient, signingTime } = input;
  const contentKey = crypto.randomBytes(SM4_KEY_BYTES);
  const iv = crypto.randomBytes(SM4_IV_BYTES);
  try {
    const recipientInfo = sequence(
      integer(0),
      issuerAndSerial(crypto, recipient),
      algorithm(OID.sm2Encrypt),
      octetString(sm2CipherToDer(crypto.sm2Encrypt(recipient.publicKey, contentKey))),
    );
    const encryptedContentInfo = sequence(
      objectIdentifier(OID.data),
      algorithm(OID.sm4Cbc, octetString(iv)),
      implicitPrimitive(0, crypto.sm4CbcEncrypt(contentKey, iv, content)),
    );
    const attrs = signedAttributes(Buffer.from(crypto.sm3(content), 'hex'), signingTime);
    const signature = crypto.sm2Sign(sender.sealedPrivateKey, sender.aad, attrs, SM2_DEFAULT_USER_ID);
    const signerInfo = sequence(
      integer(1),
      issuerAndSerial(crypto, sender),
      algorithm(OID.sm3),
      implicitConstructed(0, decode(attrs).content),
      algorithm(OID.sm2Sign),
      octetString(signature),
    );
    const body = sequence(
      integer(1),
      setOf(recipientInfo),
      setOf(algorithm(OID.sm3)),
      encryptedContentInfo,
      setOf(signerInfo),
    );
    return sequence(objectIdentifier(OID.signedAndEnvelopedData), explicit(0, body));
  } finally {
    contentKey.fill(0);
  }
}

interface PartyRef {
  regionCode: string;
  serial: string;
}

export interface ParsedEnvelope {
  recipient: PartyRef & { encryptedKey: Buffer };
  iv: Buffer;
  encryptedContent: Buffer;
  signer: PartyRef & { signedAttributes: Buffer; signature: Buffer; messageDigest: Buffer; signingTime: Date };
}

function partyName(regionCode: string): Buffer {
  const rdn = (oid: string, value: Buffer) => setOf(sequence(objectIdentifier(oid), value));
  return sequence(
    rdn(OID.countryName, printableString('CN')),
    rdn(OID.organizationName, utf8String(ORGANIZATION)),
    rdn(OID.commonName, printableString(regionCode)),
  );
}

function readParty(node: DerNode | undefined, what: string): PartyRef {
  const [name, serial] = items(expect(node, TAG.SEQUENCE, what), what, 2);
  const rdns = items(expect(name, TAG.SEQUENCE, `${what}.issuer`), `${what}.issuer`, 3);
  const [attr] = items(expect(rdns[2], TAG.SET, `${what}.issuer CN`), `${what}.issuer CN`, 1);
  const [, value] = items(expect(attr, TAG.SEQUENCE, `${what}.issuer CN`), `${what}.issuer CN`, 2);
  const regionCode = readText(value, `${what}.CN`);
  // Exactly the name we issue: nothing in a package may vary without being checked.
  if (!/^\d{12}$/.test(regionCode) || !name.raw.equals(partyName(regionCode))) {
    throw new DerError(`${what}: the issuer is not C=CN, O=${ORGANIZATION}, CN=<12-digit region code>`);
  }
  const serialBytes = readUnsigned(serial, `${what}.serialNumber`);
  if (serialBytes.length > SERIAL_BYTES) throw new DerError(`${what}.serialNumber too long`);
  const padded = Buffer.concat([Buffer.alloc(SERIAL_BYTES - serialBytes.length), serialBytes]);
  return { regionCode, serial: padded.toString('hex') };
}

function checkAlgorithm(node: DerNode | undefined, oid: string, what: string): DerNode[] {
  const parts = items(expect(node, TAG.SEQUENCE, what), what, 1, 2);
  const found = readOid(parts[0], `${what}.algorithm`);
  if (found !== oid) throw new EnvelopeError('UNSUPPORTED', `${what} is ${found}, expected ${oid}`);
  // Absent parameters or NULL both mean "none" for SM3 and SM2.
  if (parts[1] && oid !== OID.sm4Cbc && parts[1].tag !== TAG.NULL) throw new DerError(`${what}: unexpected parameters`);
  return parts;
}

/** Parses and checks the structure only; no key is used. Throws EnvelopeError('MALFORMED' | 'UNSUPPORTED'). */
export function parseSignedAndEnveloped(der: Buffer): ParsedEnvelope {
  try {
    const [type, wrapped] = items(expect(decode(der), TAG.SEQUENCE, 'ContentInfo'), 'ContentInfo', 2);
    const contentType = readOid(type, 'ContentInfo.contentType');
    if (contentType !== OID.signedAndEnvelopedData) {
      throw new EnvelopeError('UNSUPPORTED', `ContentInfo.contentType is ${contentType}, not signedAndEnvelopedData`);
    }
    const [body] = items(expect(wrapped, contextTag(0, true), 'ContentInfo.content'), 'ContentInfo.content', 1);
    const [version, recipientInfos, digestAlgorithms, eci, ...rest] = items(
      expect(body, TAG.SEQUENCE, 'SignedAndEnvelopedData'),
      'SignedAndEnvelopedData',
      5,
      7,
    );
    if (readSmallInt(version, 'SignedAndEnvelopedData.version') !== 1) {
      throw new EnvelopeError('UNSUPPORTED', 'SignedAndEnvelopedData.version is not 1');
    }
    // certificates [0] and crls [1] may sit between; we send neither and ignore them.
    const signerInfos = rest[rest.length - 1];
    for (const extra of rest.slice(0, -1)) {
      if (extra.tag !== contextTag(0, true) && extra.tag !== contextTag(1, true)) {
        throw new DerError('SignedAndEnvelopedData: unexpected element');
      }
    }

    const [recipientInfo] = items(expect(recipientInfos, TAG.SET, 'recipientInfos'), 'recipientInfos', 1);
    const [rVersion, rId, rAlg, rKey] = items(expect(recipientInfo, TAG.SEQUENCE, 'RecipientInfo'), 'RecipientInfo', 4);
    if (readSmallInt(rVersion, 'RecipientInfo.version') !== 0)
      throw new EnvelopeError('UNSUPPORTED', 'RecipientInfo.version is not 0');
    const recipient = readParty(rId, 'RecipientInfo.issuerAndSerialNumber');
    checkAlgorithm(rAlg, OID.sm2Encrypt, 'RecipientInfo.keyEncryptionAlgorithm');
    const encryptedKey = readOctets(rKey, 'RecipientInfo.encryptedKey');

    for (const alg of items(expect(digestAlgorithms, TAG.SET, 'digestAlgorithms'), 'digestAlgorithms', 1)) {
      checkAlgorithm(alg, OID.sm3, 'digestAlgorithms');
    }

    const [eType, eAlg, eContent] = items(expect(eci, TAG.SEQUENCE, 'EncryptedContentInfo'), 'EncryptedContentInfo', 3);
    if (readOid(eType, 'EncryptedContentInfo.contentType') !== OID.data) {
      throw new EnvelopeError('UNSUPPORTED', 'EncryptedContentInfo.contentType is not data');
    }
    const [, ivNode] = checkAlgorithm(eAlg, OID.sm4Cbc, 'contentEncryptionAlgorithm');
    const iv = readOctets(ivNode, 'contentEncryptionAlgorithm.iv');
    if (iv.length !== SM4_IV_BYTES) throw new DerError('The SM4-CBC IV is not 16 bytes');
    const encryptedContent = expect(eContent, contextTag(0, false), 'encryptedContent').content;

    const [signerInfo] = items(expect(signerInfos, TAG.SET, 'signerInfos'), 'signerInfos', 1);
    const [sVersion, sId, sDigestAlg, sAttrs, sSigAlg, sSig, ...sRest] = items(
      expect(signerInfo, TAG.SEQUENCE, 'SignerInfo'),
      'SignerInfo',
      6,
      7,
    );
    if (sRest.length && sRest[0].tag !== contextTag(1, true)) throw new DerError('SignerInfo: unexpected element');
    if (readSmallInt(sVersion, 'SignerInfo.version') !== 1)
      throw new EnvelopeError('UNSUPPORTED', 'SignerInfo.version is not 1');
    const signerRef = readParty(sId, 'SignerInfo.issuerAndSerialNumber');
    checkAlgorithm(sDigestAlg, OID.sm3, 'SignerInfo.digestAlgorithm');
    checkAlgorithm(sSigAlg, OID.sm2Sign, 'SignerInfo.digestEncryptionAlgorithm');
    const attrsNode = expect(sAttrs, contextTag(0, true), 'SignerInfo.authenticatedAttributes');
    const found = new Map<string, DerNode>();
    for (const attr of items(attrsNode, 'authenticatedAttributes', 1, 16)) {
      const [aType, aValues] = items(expect(attr, TAG.SEQUENCE, 'Attribute'), 'Attribute', 2);
      const oid = readOid(aType, 'Attribute.type');
      if (found.has(oid)) throw new DerError(`Attribute ${oid} appears twice`);
      found.set(oid, items(expect(aValues, TAG.SET, `Attribute ${oid}`), `Attribute ${oid}`, 1)[0]);
    }
    if (readOid(found.get(OID.contentType), 'contentType attribute') !== OID.data) {
      throw new EnvelopeError('UNSUPPORTED', 'The contentType attribute is not data');
    }
    const messageDigest = readOctets(found.get(OID.messageDigest), 'messageDigest attribute');
    if (messageDigest.length !== SM3_BYTES) throw new DerError('The messageDigest attribute is not 32 bytes');
    const signingTime = readUtcTime(found.get(OID.signingTime), 'signingTime attribute');

    return {
      recipient: { ...recipient, encryptedKey },
      iv,
      encryptedContent,
      signer: {
        ...signerRef,
        // What was signed: the same SET OF content under the universal SET tag.
        signedAttributes: tlv(TAG.SET, attrsNode.content),
        signature: readOctets(sSig, 'SignerInfo.encryptedDigest'),
        messageDigest,
        signingTime,
      },
    };
  } catch (e) {
    if (e instanceof EnvelopeError) throw e;
    if (e instanceof DerError) throw new EnvelopeError('MALFORMED', e.message);
    throw e;
  }
}

export interface OpenKeys {
  /** The known public key of `regionCode` with this serial, or null when it is not known here. */
  signerKey(regionCode: string, serial: string): EnvelopeParty | null;
  /** Our own key pair for `regionCode` with this serial, or null when the package is not for us. */
  recipientKey(regionCode: string, serial: string): EnvelopeKeyHolder | null;
}

export interface OpenedEnvelope {
  content: Buffer;
  signer: EnvelopeParty;
  recipient: EnvelopeParty;
  signingTime: Date;
}

/**
 * Checks in this order, each failure its own reason: structure; the signer is a known key; the
 * signature over the authenticated attributes; the package is for one of our keys; the content key
 * unwraps; the content decrypts; its SM3 equals the signed messageDigest.
 */
export function openSignedAndEnveloped(crypto: CryptoProvider, der: Buffer, keys: OpenKeys): OpenedEnvelope {
  const parsed = parseSignedAndEnveloped(der);
  const { signer, recipient } = parsed;
  const signerKey = keys.signerKey(signer.regionCode, signer.serial);
  if (!signerKey || keySerial(crypto, signerKey.publicKey) !== signer.serial) {
    throw new EnvelopeError('UNKNOWN_SIGNER', 'The signer key is not known here', signer.regionCode);
  }
  if (!crypto.sm2Verify(signerKey.publicKey, signer.signedAttributes, signer.signature, SM2_DEFAULT_USER_ID)) {
    throw new EnvelopeError('BAD_SIGNATURE', 'The signature does not verify', signer.regionCode);
  }
  const own = keys.recipientKey(recipient.regionCode, recipient.serial);
  if (!own || keySerial(crypto, own.publicKey) !== recipient.serial) {
    throw new EnvelopeError('NOT_FOR_US', 'The package is encrypted to another key', recipient.regionCode);
  }
  let contentKey: Buffer;
  try {
    contentKey = crypto.sm2Decrypt(own.sealedPrivateKey, own.aad, sm2CipherFromDer(recipient.encryptedKey));
  } catch (e) {
    if (e instanceof CryptoError || e instanceof DerError) {
      throw new EnvelopeError('KEY_UNWRAP_FAILED', 'The content key does not decrypt', recipient.regionCode);
    }
    throw e;
  }
  let content: Buffer;
  try {
    if (contentKey.length !== SM4_KEY_BYTES) throw new CryptoError('The content key is not 16 bytes', 'CRYPTO_INPUT');
    content = crypto.sm4CbcDecrypt(contentKey, parsed.iv, parsed.encryptedContent);
  } catch (e) {
    if (e instanceof CryptoError) throw new EnvelopeError('CONTENT_DECRYPT_FAILED', 'The content does not decrypt');
    throw e;
  } finally {
    contentKey.fill(0);
  }
  if (crypto.sm3(content) !== signer.messageDigest.toString('hex')) {
    throw new EnvelopeError('DIGEST_MISMATCH', 'The content digest differs from the signed one');
  }
  return {
    content,
    signer: signerKey,
    recipient: { regionCode: own.regionCode, publicKey: own.publicKey },
    signingTime: signer.signingTime,
  };
}
