import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { matchTotp, newTotpSecret, totpCode, totpStep, totpUri } from './totp.js';

// RFC 6238 appendix B: the seeds are the ASCII digits "1234567890" repeated to 20, 32 and 64 bytes.
const SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('matches the RFC vectors at T=%i', (seconds, sha1, sha256, sha512) => {
    const at = seconds * 1000;
    const b32 = (seed: string) => Secret.fromLatin1(seed).base32;
    expect(totpCode(b32(SEEDS.SHA1), at, { digits: 8, algorithm: 'SHA1' })).toBe(sha1);
    expect(totpCode(b32(SEEDS.SHA256), at, { digits: 8, algorithm: 'SHA256' })).toBe(sha256);
    expect(totpCode(b32(SEEDS.SHA512), at, { digits: 8, algorithm: 'SHA512' })).toBe(sha512);
  });

  it('accepts a code of this step or a neighbour, once, and nothing further away', () => {
    const secret = newTotpSecret();
    expect(Secret.fromBase32(secret).bytes.length).toBe(20);
    const now = 1_800_000_000_000;
    const code = totpCode(secret, now);
    expect(code).toMatch(/^\d{6}$/);
    expect(matchTotp(secret, code, now, null)).toBe(totpStep(now));
    expect(matchTotp(secret, code, now + 30_000, null)).toBe(totpStep(now));
    expect(matchTotp(secret, code, now + 90_000, null)).toBeNull();
    // Replay: the same step again is refused.
    expect(matchTotp(secret, code, now, totpStep(now))).toBeNull();
    expect(matchTotp(secret, totpCode(secret, now + 30_000), now + 30_000, totpStep(now))).toBe(totpStep(now) + 1);
    expect(matchTotp(secret, 'abcdef', now, null)).toBeNull();
  });

  it('writes an otpauth URI with the issuer and the account', () => {
    const uri = totpUri('JBSWY3DPEHPK3PXP', 'demo_county');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain('secret=JBSWY3DPEHPK3PXP');
    expect(uri).toContain('demo_county');
    expect(decodeURIComponent(uri)).toContain('关怀平台');
  });
});
