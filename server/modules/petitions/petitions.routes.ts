import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PetitionEvent,
  PetitionEventCreate,
  PetitionHandlingCreate,
  PetitionRisk as Risk,
  PetitionRiskCreate,
  PetitionRisks,
} from '../../../common/schemas/petitions.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { PetitionsService } from './petitions.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['petitions'];

export function petitionsRoutes(
  app: FastifyInstance,
  petitions: PetitionsService,
  idempotency: IdempotencyService,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/families/:id/petition-risks',
    { schema: { tags, params: IdParams, body: PetitionRiskCreate, response: { 201: dataEnvelope(Risk), ...errors } } },
    async (req, reply) => idempotency.send(req, reply, 201, (c) => petitions.create(c, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/families/:id/petition-risks',
    {
      schema: {
        tags,
        params: IdParams,
        response: { 200: dataEnvelope(PetitionRisks), ...errors },
      },
    },
    async (req) => ({ data: await petitions.list(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/petition-risks/:id/handlings',
    {
      schema: {
        tags,
        params: IdParams,
        body: PetitionHandlingCreate,
        response: { 201: dataEnvelope(Risk), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await petitions.handle(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/families/:id/petition-events',
    {
      schema: {
        tags,
        params: IdParams,
        body: PetitionEventCreate,
        response: { 201: dataEnvelope(PetitionEvent), ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ data: await petitions.recordEvent(ctx(req), req.params.id, req.body) }),
  );
}
