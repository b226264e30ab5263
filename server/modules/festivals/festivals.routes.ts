import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FESTIVALS } from '../../../common/festivals.js';
import { FamilyFestivalCare, FestivalCareCreate } from '../../../common/schemas/responses.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import { CARE_STATUSES } from './festivals.repository.js';
import type { FestivalsService } from './festivals.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

const Year = z.coerce
  .number()
  .int()
  .min(1901, { error: '年份应在 1901–2099 之间' })
  .max(2099, { error: '年份应在 1901–2099 之间' });
const Figures = { families: z.number().int(), cared: z.number().int(), declined: z.number().int(), rate: z.number() };
const RegionCode = z
  .string()
  .regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' })
  .optional();
const CareFamily = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.string(),
  /** As on the overdue list: names are not secret to the cadres of the region (DESIGN.md §6 masks IDs and phones). */
  parentNames: z.array(z.string()),
  contacts: z.array(z.object({ contactId: z.string(), post: z.string(), name: z.string() })),
  care: z.object({ manner: z.string(), caredOn: z.string() }).nullable(),
});
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
    async (req, reply) => idempotency.send(req, reply, 201, (c) => festivals.record(c, req.params.id, req.body)),
  );
  r.get(
    '/api/v1/festival-care/coverage',
    {
      schema: {
        tags,
        querystring: z.object({
          year: Year,
          festival: z.enum(FESTIVALS),
          regionCode: RegionCode,
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
  r.get(
    '/api/v1/festival-care/families',
    {
      schema: {
        tags,
        querystring: PageQuery.extend({
          year: Year,
          festival: z.enum(FESTIVALS),
          regionCode: RegionCode,
          status: z.enum(CARE_STATUSES, { error: '状态应为尚未慰问、已慰问或婉拒' }).default('not_cared'),
        }),
        response: { 200: listEnvelope(CareFamily), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...query } = req.query;
      return festivals.listFamilies(ctx(req), query, { page, pageSize });
    },
  );
}
