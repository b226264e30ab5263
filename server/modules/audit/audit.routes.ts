import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import { createAuditService } from './audit.service.js';

const AuditEvent = z.object({
  seq: z.number().int(),
  occurredAt: z.string(),
  actorUsername: z.string().nullable(),
  actorRole: z.string().nullable(),
  actorRegionCode: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  changes: z.unknown(),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
const IsoDate = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}/, { error: '日期格式应为 YYYY-MM-DD' });

export function auditRoutes(app: FastifyInstance, platform: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const audit = createAuditService(platform);

  r.get(
    '/api/v1/audit-events',
    {
      schema: {
        tags: ['audit'],
        querystring: PageQuery.extend({
          action: z.string().max(64).optional(),
          actor: z.string().max(64).optional(),
          from: IsoDate.optional(),
          to: IsoDate.optional(),
        }),
        response: { 200: listEnvelope(AuditEvent), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return audit.list(ctx(req), filters, { page, pageSize });
    },
  );

  r.get(
    '/api/v1/audit-events/verify',
    {
      schema: {
        tags: ['audit'],
        response: {
          200: dataEnvelope(
            z.object({ ok: z.boolean(), checked: z.number().int(), brokenAt: z.number().int().nullable() }),
          ),
          ...errors,
        },
      },
    },
    async (req) => ({ data: await audit.verify(ctx(req)) }),
  );
}
