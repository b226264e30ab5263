/**
 * SM2 public keys as PEM SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, GM/T 0015 for the SM2 OIDs):
 *
 *   SEQUENCE { SEQUENCE { OID id-ecPublicKey 1.2.840.10045.2.1, OID sm2 1.2.156.10197.1.301 },
 *              BIT STRING { 00, 04‖X‖Y } }
 *
 * the form GmSSL, OpenSSL 3 and BouncyCastle read and write. Only public keys exist in PEM here.
 */
import { CryptoError } from './crypto-provider.js';
import { decode, DerError, expect, items, objectIdentifier, readOid, sequence, TAG, tlv } from './der.js';
import { isValidSm2PublicKey } from './sm2.js';

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const SM2_CURVE = '1.2.156.10197.1.301';
const LABEL = 'PUBLIC KEY';

export function sm2PublicKeyToPem(publicKeyHex: string): string {
  if (!isValidSm2PublicKey(publicKeyHex)) throw new CryptoError('Invalid SM2 public key', 'CRYPTO_INPUT');
  const spki = sequence(
    sequence(objectIdentifier(ID_EC_PUBLIC_KEY), objectIdentifier(SM2_CURVE)),
    tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), Buffer.from(publicKeyHex, 'hex')])),
  );
  const lines = spki.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${LABEL}-----\n${lines.join('\n')}\n-----END ${LABEL}-----\n`;
}

/** The hex `04‖X‖Y` key of a PEM SPKI; throws CryptoError('CRYPTO_INPUT') with a reason for anything else. */
export function sm2PublicKeyFromPem(pem: string): string {
  const m = /^-----BEGIN PUBLIC KEY-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END PUBLIC KEY-----\s*$/.exec(pem.trim());
  if (!m) throw new CryptoError('Not a PEM "PUBLIC KEY" block', 'CRYPTO_INPUT');
  const der = Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
  try {
    const [alg, bits] = items(expect(decode(der), TAG.SEQUENCE, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo', 2);
    const [type, curve] = items(expect(alg, TAG.SEQUENCE, 'algorithm'), 'algorithm', 2);
    if (readOid(type, 'algorithm') !== ID_EC_PUBLIC_KEY || readOid(curve, 'curve') !== SM2_CURVE) {
      throw new CryptoError('The key is not an SM2 key (curve 1.2.156.10197.1.301)', 'CRYPTO_INPUT');
    }
    const content = expect(bits, TAG.BIT_STRING, 'subjectPublicKey').content;
    if (content.length !== 66 || content[0] !== 0 || content[1] !== 0x04) {
      throw new CryptoError('The key is not an uncompressed SM2 point', 'CRYPTO_INPUT');
    }
    const hex = content.subarray(1).toString('hex');
    if (!isValidSm2PublicKey(hex)) throw new CryptoError('The point is not on the SM2 curve', 'CRYPTO_INPUT');
    return hex;
  } catch (e) {
    if (e instanceof DerError) throw new CryptoError(`Malformed SubjectPublicKeyInfo: ${e.message}`, 'CRYPTO_INPUT');
    throw e;
  }
}
