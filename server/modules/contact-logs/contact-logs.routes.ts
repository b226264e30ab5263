import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ContactLog, ContactLogCreate, ContactLogUpdate } from '../../../common/schemas/contact-logs.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { ContactLogsService } from './contact-logs.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['contact-logs'];

export function contactLogsRoutes(
  app: FastifyInstance,
  contactLogs: ContactLogsService,
  idempotency: IdempotencyService,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/families/:id/contact-logs',
    {
      schema: {
        tags,
        params: IdParams,
        body: ContactLogCreate,
        response: { 201: dataEnvelope(ContactLog), ...errors },
      },
    },
    // Idempotency-Key: <uuid> makes a retry from the phone's outbox answer as the first send (issue #17).
    async (req, reply) => idempotency.send(req, reply, 201, (c) => contactLogs.create(c, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/families/:id/contact-logs',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(ContactLog)), ...errors } } },
    async (req) => ({ data: await contactLogs.list(ctx(req), req.params.id) }),
  );
  r.patch(
    '/api/v1/contact-logs/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: ContactLogUpdate,
        response: { 200: dataEnvelope(ContactLog), ...errors },
      },
    },
    async (req) => ({ data: await contactLogs.update(ctx(req), req.params.id, req.body) }),
  );
}
