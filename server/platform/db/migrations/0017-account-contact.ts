import type { Kysely } from 'kysely';

/**
 * Where a user's pushed notifications go (R10 part 6): the account's mobile for SMS, sealed like every
 * other phone (SM4 with the AAD `users:<id>:phone`, an HMAC-SM3 blind index, the mask), and the account's
 * WeCom userid for application messages. Both are set by the user in 通知设置 and optional.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('phone_enc', 'text').execute();
  await db.schema.alterTable('users').addColumn('phone_idx', 'text').execute();
  await db.schema.alterTable('users').addColumn('phone_mask', 'text').execute();
  await db.schema.alterTable('users').addColumn('wecom_user_id', 'text').execute();
}
