import { randomInt } from 'node:crypto';
import type { MfaEnrolment } from '../../../common/schemas/users.js';
import { matchTotp, newTotpSecret, totpUri } from '../../platform/auth/totp.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import * as mfaRepo from './mfa.repository.js';
import * as repo from './users.repository.js';

const RECOVERY_CODES = 10;
/** Crockford-style base32 without look-alikes: codes are read off paper. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

function newRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * The TOTP second factor (issue 10 item 11). Secrets are sealed with SM4 bound to the account; recovery codes
 * are stored as keyed HMAC-SM3 digests only and shown once.
 */
export function createMfaService(platform: Platform) {
  const { db, clock, audit, crypto } = platform;
  const aad = (userId: string) => `user:${userId}:mfa`;
  const recoveryHash = (userId: string, code: string) =>
    crypto.blindIndex('mfa_recovery', `${userId}:${normaliseRecoveryCode(code)}`);

  return {
    /** Which factor the code proves, or null. A TOTP code works once; a recovery code is spent. */
    async verifyCode(trx: Executor, row: repo.UserRow, code: string): Promise<'totp' | 'recovery_code' | null> {
      if (!row.mfa_secret) return null;
      const now = clock.now();
      if (/^\d{6}$/.test(code.trim())) {
        const step = matchTotp(
          crypto.decrypt(row.mfa_secret, aad(row.id)),
          code.trim(),
          now.getTime(),
          row.mfa_last_step ?? null,
        );
        return step !== null && (await mfaRepo.setLastStep(trx, row.id, step)) ? 'totp' : null;
      }
      return (await mfaRepo.useRecoveryCode(trx, row.id, recoveryHash(row.id, code), now.toISOString()))
        ? 'recovery_code'
        : null;
    },

    /** A new secret for the signed-in account, kept pending until a first code confirms the app holds it. */
    async beginEnrolment(c: RequestContext): Promise<MfaEnrolment> {
      const row = await repo.findUserById(db, c.actor.id);
      if (!row) throw new AppError('UNAUTHENTICATED');
      if (row.mfa_enabled_at) throw new AppError('CONFLICT', '已绑定动态验证码；如需更换，请联系安全管理员重置');
      const secret = newTotpSecret();
      await db.transaction().execute(async (trx) => {
        await mfaRepo.setPendingSecret(trx, row.id, crypto.encrypt(secret, aad(row.id)));
        await audit.record(trx, c, { action: 'auth.mfa_enrol_start', targetType: 'user', targetId: row.id });
      });
      return { secret, uri: totpUri(secret, row.username) };
    },

    async confirmEnrolment(c: RequestContext, code: string): Promise<{ recoveryCodes: string[] }> {
      const row = await repo.findUserById(db, c.actor.id);
      if (!row) throw new AppError('UNAUTHENTICATED');
      if (row.mfa_enabled_at) throw new AppError('CONFLICT', '已绑定动态验证码');
      if (!row.mfa_pending_secret) throw new AppError('CONFLICT', '请先开始绑定');
      const secret = crypto.decrypt(row.mfa_pending_secret, aad(row.id));
      const now = clock.now();
      const step = matchTotp(secret, code.trim(), now.getTime(), null);
      if (step === null) {
        await db.transaction().execute((trx) =>
          audit.record(trx, c, {
            action: 'auth.mfa_enrol',
            targetType: 'user',
            targetId: row.id,
            outcome: 'failure',
            changes: { reason: 'wrong_code' },
          }),
        );
        throw AppError.field('code', '动态验证码不正确，请核对手机时间后重试', 'MFA_CODE_WRONG');
      }
      const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await db.transaction().execute(async (trx) => {
        await mfaRepo.enableMfa(trx, row.id, {
          sealed: crypto.encrypt(secret, aad(row.id)),
          at: now.toISOString(),
          step,
          codeHashes: codes.map((code) => recoveryHash(row.id, code)),
        });
        await audit.record(trx, c, { action: 'auth.mfa_enrol', targetType: 'user', targetId: row.id });
      });
      return { recoveryCodes: codes };
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
