import { Secret, TOTP } from 'otpauth';

/**
 * TOTP (RFC 6238) as authenticator apps read it: HMAC-SHA1, 6 digits, 30-second steps. SHA-1 is what every
 * app implements; the secret is 160 random bits, sealed at rest with SM4 like any other secret.
 */
const PERIOD = 30;
const DIGITS = 6;
/** One step either side: phones drift, and a code typed at the edge of its step still counts. */
const WINDOW = 1;

export const TOTP_ISSUER = '关怀平台';

/** 160 random bits (RFC 4226's recommended size) from the platform CSPRNG (crypto.getRandomValues). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
  });
}

/** The otpauth:// URI an authenticator app scans (the web app draws it as a QR code, locally). */
export function totpUri(secretBase32: string, username: string): string {
  return totp(secretBase32, username).toString();
}

export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / PERIOD);
}

/** The code for a moment; exported for tests and the RFC vectors (any digits and hash of RFC 6238). */
export function totpCode(
  secretBase32: string,
  atMs: number,
  opts: { digits?: number; algorithm?: 'SHA1' | 'SHA256' | 'SHA512' } = {},
): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    algorithm: opts.algorithm ?? 'SHA1',
    digits: opts.digits ?? DIGITS,
    period: PERIOD,
    timestamp: atMs,
  });
}

/**
 * The time step a code belongs to, or null. A step at or before `lastStep` is refused: each code works once,
 * so a code read over a shoulder or replayed from a log is worthless.
 */
export function matchTotp(secretBase32: string, code: string, atMs: number, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    timestamp: atMs,
    window: WINDOW,
  });
  if (delta === null) return null;
  const step = totpStep(atMs) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}
