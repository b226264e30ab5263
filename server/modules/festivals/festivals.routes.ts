import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FESTIVALS } from '../../../common/festivals.js';
import { FestivalCareCreate } from '../../../common/schemas/responses.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { FestivalsService } from './festivals.service.js';

const Year = z.coerce
  .number()
  .int()
  .min(1901, { error: '年份应在 1901–2099 之间' })
  .max(2099, { error: '年份应在 1901–2099 之间' });
const Figures = { families: z.number().int(), cared: z.number().int(), declined: z.number().int(), rate: z.number() };
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['festivals'];

export function festivalsRoutes(app: FastifyInstance, festivals: FestivalsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Festival dates are public knowledge: a JSON array, as in DESIGN.md §5.
  r.get(
    '/api/v1/festivals',
    {
      schema: {
        tags,
        querystring: z.object({ year: Year }),
        response: {
          200: z.array(
            z.object({
              festival: z.enum(FESTIVALS),
              label: z.string(),
              date: z.string(),
              windowFrom: z.string(),
              windowTo: z.string(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => festivals.festivals(req.query.year),
  );
  r.post(
    '/api/v1/families/:id/festival-care',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64) }),
        body: FestivalCareCreate,
        response: {
          201: dataEnvelope(
            z.object({
              id: z.string(),
              campaignId: z.string(),
              festival: z.string(),
              year: z.number(),
              manner: z.string(),
              amount: z.number().nullable(),
              caredOn: z.string(),
              isOutsideWindow: z.boolean(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await festivals.record(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/festival-care/coverage',
    {
      schema: {
        tags,
        querystring: z.object({
          year: Year,
          festival: z.enum(FESTIVALS),
          regionCode: z
            .string()
            .regex(/^\d{12}$/)
            .optional(),
        }),
        response: {
          200: dataEnvelope(
            z.object({
              year: z.number(),
              festival: z.string(),
              label: z.string(),
              festivalDate: z.string(),
              windowFrom: z.string(),
              windowTo: z.string(),
              regionCode: z.string(),
              ...Figures,
              children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...Figures })),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => ({
      data: await festivals.coverage(ctx(req), req.query.year, req.query.festival, req.query.regionCode),
    }),
  );
}
