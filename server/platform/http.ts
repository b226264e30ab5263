import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, defaultMessage, type ErrorDetail } from './errors.js';
import type { RequestContext } from './context.js';

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
    requestId: z.string(),
  }),
});

export const PageInfo = z.object({ page: z.number().int(), pageSize: z.number().int(), total: z.number().int() });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), page: PageInfo });
}

export function dataEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}

/** The request's actor and origin for services. Only called on authenticated routes. */
export function ctx(req: FastifyRequest): RequestContext {
  if (!req.actor) throw new AppError('UNAUTHENTICATED');
  return { actor: req.actor, ip: req.ip, requestId: req.id };
}

function send(reply: FastifyReply, status: number, code: string, message: string, details: ErrorDetail[]) {
  return reply.code(status).send({ error: { code, message, details, requestId: String(reply.request.id) } });
}

const ZOD_MESSAGES: Record<string, string> = {
  invalid_type: '类型不正确或缺少此项',
  too_big: '内容过长或数值过大',
  too_small: '内容过短或数值过小',
  invalid_format: '格式不正确',
  invalid_value: '取值不在允许范围内',
  unrecognized_keys: '包含不允许的字段',
  invalid_union: '格式不正确',
  custom: '取值不正确',
};

/** One error handler renders every refusal as `{ error: { code, message, details, requestId } }`; no stack ever leaves. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => send(reply, 404, 'NOT_FOUND', defaultMessage('NOT_FOUND'), []));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
      return send(reply, err.status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext === 'body' ? '' : `${err.validationContext}.`;
      const details = err.validation.map((issue) => {
        const path = where + issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        // A refinement carries its own Chinese message; Zod's built-in English ones are mapped.
        const isOwnMessage = issue.keyword === 'custom' || /[\u4e00-\u9fff]/.test(issue.message ?? '');
        const message = isOwnMessage && issue.message ? issue.message : (ZOD_MESSAGES[issue.keyword] ?? '取值不正确');
        return { path, message, code: issue.keyword };
      });
      return send(
        reply,
        400,
        'VALIDATION_FAILED',
        details[0] ? `${details[0].path}：${details[0].message}` : defaultMessage('VALIDATION_FAILED'),
        details,
      );
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err: { message: err.message } }, 'response did not match its schema');
      return send(reply, 500, 'INTERNAL', defaultMessage('INTERNAL'), []);
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return send(reply, 413, 'PAYLOAD_TOO_LARGE', defaultMessage('PAYLOAD_TOO_LARGE'), []);
    if (status === 415) return send(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', defaultMessage('UNSUPPORTED_MEDIA_TYPE'), []);
    if (status >= 400 && status < 500) {
      // Malformed JSON, empty bodies and other framework-level 4xx: the client's input is at fault.
      return send(reply, 400, 'VALIDATION_FAILED', '请求格式不正确', [{ path: '', message: '请求格式不正确' }]);
    }
    req.log.error({ err: { message: err.message, code: err.code, stack: err.stack } }, 'unhandled error');
    return send(reply, 500, 'INTERNAL', defaultMessage('INTERNAL'), []);
  });
}

/** Strict headers on every answer (DESIGN.md §6). antd injects its CSS at run time, hence 'unsafe-inline' for styles only. */
export function installSecurityHeaders(app: FastifyInstance, hsts: boolean): void {
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...(hsts ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
  };
  const apiHeaders = { ...headers, 'Cache-Control': 'no-store' };
  // A callback hook, not an async one: every answer runs it, and it has nothing to wait for.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.headers(req.url.startsWith('/api/') ? apiHeaders : headers);
    done(null, payload);
  });
}

/** Whether any string in `value` holds U+0000: the common case (none) allocates no path strings. */
function hasNulChar(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const child of value) if (hasNulChar(child, depth + 1)) return true;
    return false;
  }
  for (const key in value)
    if (Object.hasOwn(value, key) && hasNulChar((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/** The path of the first string holding U+0000, which PostgreSQL cannot store and no person types. */
function nulCharPath(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = nulCharPath(child, path ? `${path}.${key}` : key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Refuses input both databases would not treat alike, before any route sees it. */
export function installInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', (req, _reply, done) => {
    const sources: Array<[string, unknown]> = [
      ['', req.body],
      ['querystring.', req.query],
      ['params.', req.params],
    ];
    for (const [prefix, value] of sources) {
      if (!hasNulChar(value)) continue;
      const path = nulCharPath(value, '');
      if (path !== null) {
        done(AppError.field(prefix + path, '内容包含不允许的控制字符', 'CONTROL_CHARACTER'));
        return;
      }
    }
    done();
  });
}
