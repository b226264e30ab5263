import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { ctx } from '../../platform/http.js';
import { idempotencyRepo as repo } from './idempotency.repository.js';

/** Keys are kept at least this long (issue #17: ≥ 30 days), then purged by the scheduler. */
export const IDEMPOTENCY_RETENTION_DAYS = 30;
export const IDEMPOTENCY_HEADER = 'idempotency-key';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** JSON with object keys sorted at every depth: one text per meaning, whatever order the client wrote. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The header's key, null without one; 400 for anything that is not one UUID. */
export function idempotencyKeyOf(req: FastifyRequest): string | null {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !UUID.test(raw))
    throw AppError.field(
      'headers.idempotency-key',
      '幂等键（Idempotency-Key）应为一个 UUID',
      'IDEMPOTENCY_KEY_INVALID',
    );
  return raw.toLowerCase();
}

/**
 * Exactly-once phone-side POSTs (issue #17, DESIGN.md §5.2). With `Idempotency-Key: <uuid>` the first answer
 * is kept in `idempotency_keys`, written by the service inside the record's own transaction (`keepAnswer`), so
 * the key commits with the record or not at all. The same user sending the same key again gets that answer
 * (status and body) and nothing is written; another body under the key is 409 `IDEMPOTENCY_MISMATCH`. Another
 * user's identical key is another key. A concurrent duplicate (another instance, a retry racing the first
 * send) loses on the primary key when it commits — on PostgreSQL it waits for the winner — and then replays.
 * Refusals are not kept: nothing was written, so the same key may be sent again once corrected.
 */
export function createIdempotencyService(platform: Platform) {
  const { db, crypto, clock } = platform;

  function replay(
    reply: FastifyReply,
    prior: { request_digest: string; status: number; response: string },
    digest: string,
  ) {
    if (prior.request_digest !== digest) throw new AppError('IDEMPOTENCY_MISMATCH');
    return reply.code(prior.status).header('idempotent-replayed', 'true').send(JSON.parse(prior.response));
  }

  return {
    /** Answers `{ data }` with `status` from `create`, under the request's idempotency key when it has one. */
    async send<T>(
      req: FastifyRequest,
      reply: FastifyReply,
      status: number,
      create: (c: RequestContext) => Promise<T>,
    ): Promise<FastifyReply> {
      const key = idempotencyKeyOf(req);
      const c = ctx(req);
      if (key === null) return reply.code(status).send({ data: await create(c) });
      const digest = crypto.sm3(canonicalJson({ m: req.method, p: req.url.split('?')[0], b: req.body ?? null }));
      const prior = await repo.find(db, c.actor.id, key);
      if (prior) return replay(reply, prior, digest);
      let kept = false;
      const row = (data: unknown) => ({
        user_id: c.actor.id,
        key,
        request_digest: digest,
        status,
        response: JSON.stringify({ data }),
        created_at: clock.now().toISOString(),
      });
      let data: T;
      try {
        data = await create({
          ...c,
          keepAnswer: async (trx, answer) => {
            await repo.insert(trx, row(answer));
            kept = true;
          },
        });
      } catch (err) {
        // Lost to a concurrent send of the same key (the unique key, or the record's own unique rule, refused
        // this one): the winner has committed by now, so answer as it did.
        const winner = await repo.find(db, c.actor.id, key);
        if (winner) return replay(reply, winner, digest);
        throw err;
      }
      if (!kept) {
        // A service that does not call keepAnswer is a bug; keep the answer anyway so a retry is not a duplicate.
        req.log.error({ route: req.routeOptions.url }, 'idempotent route did not keep its answer in its transaction');
        await repo.insert(db, row(data)).catch(() => undefined);
      }
      return reply.code(status).send({ data });
    },

    /** Keys older than the retention (the scheduler, hourly). */
    purge(now: Date): Promise<number> {
      return repo.purgeBefore(db, new Date(now.getTime() - IDEMPOTENCY_RETENTION_DAYS * 86_400_000).toISOString());
    },
  };
}
export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
