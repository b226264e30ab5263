import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CampaignQuery,
  CareFamiliesQuery,
  CareFamily,
  FamilyFestivalCare,
  FestivalCare,
  FestivalCareCreate,
  FestivalCoverage,
  FestivalDate,
  FestivalsQuery,
} from '../../../common/schemas/festivals.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { FestivalsService } from './festivals.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['festivals'];

export function festivalsRoutes(
  app: FastifyInstance,
  festivals: FestivalsService,
  idempotency: IdempotencyService,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Festival dates are public knowledge: a JSON array, as in DESIGN.md §5.
  r.get(
    '/api/v1/festivals',
    {
      schema: {
        tags,
        querystring: FestivalsQuery,
        response: { 200: z.array(FestivalDate), ...errors },
      },
    },
    async (req) => festivals.festivals(req.query.year),
  );
  r.get(
    '/api/v1/families/:id/festival-care',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64) }),
        response: { 200: dataEnvelope(z.array(FamilyFestivalCare)), ...errors },
      },
    },
    async (req) => ({ data: await festivals.ofFamily(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/families/:id/festival-care',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64) }),
        body: FestivalCareCreate,
        response: { 201: dataEnvelope(FestivalCare), ...errors },
      },
    },
    async (req, reply) => idempotency.send(req, reply, 201, (c) => festivals.record(c, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/festival-care/coverage',
    {
      schema: {
        tags,
        querystring: CampaignQuery,
        response: { 200: dataEnvelope(FestivalCoverage), ...errors },
      },
    },
    async (req) => ({
      data: await festivals.coverage(ctx(req), req.query.year, req.query.festival, req.query.regionCode),
    }),
  );
  r.get(
    '/api/v1/festival-care/families',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(CareFamiliesQuery.shape),
        response: { 200: listEnvelope(CareFamily), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...query } = req.query;
      return festivals.listFamilies(ctx(req), query, { page, pageSize });
    },
  );
}
