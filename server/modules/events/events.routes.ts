import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Version } from '../../../common/schemas/fields.js';
import { EventClose, EventCreate, MajorEvent as Event } from '../../../common/schemas/events.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { EventsService } from './events.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['events'];

export function eventsRoutes(app: FastifyInstance, events: EventsService, idempotency: IdempotencyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/families/:id/events',
    { schema: { tags, params: IdParams, body: EventCreate, response: { 201: dataEnvelope(Event), ...errors } } },
    async (req, reply) => idempotency.send(req, reply, 201, (c) => events.report(c, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/families/:id/events',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(Event)), ...errors } } },
    async (req) => ({
      data: await events.list(ctx(req), req.params.id),
    }),
  );
  r.post(
    '/api/v1/events/:id/close',
    { schema: { tags, params: IdParams, body: EventClose, response: { 200: dataEnvelope(Event), ...errors } } },
    async (req) => ({
      data: await events.close(ctx(req), req.params.id, req.body.version, req.body.followUp),
    }),
  );
  r.post(
    '/api/v1/events/:id/confirm-death',
    {
      schema: {
        tags,
        params: IdParams,
        body: z.strictObject({ version: Version }),
        response: { 200: dataEnvelope(Event), ...errors },
      },
    },
    async (req) => ({ data: await events.confirmDeath(ctx(req), req.params.id, req.body.version) }),
  );
}
