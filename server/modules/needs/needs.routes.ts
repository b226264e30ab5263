import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DEPARTMENTS,
  JointMeetingCreate,
  NEED_STATUSES,
  NeedCreate,
  NeedUpdate,
} from '../../../common/schemas/responses.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { NeedsService } from './needs.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

const Need = z.object({
  id: z.string(),
  familyId: z.string(),
  archiveNo: z.string().nullable(),
  regionName: z.string().nullable(),
  contactLogId: z.string().nullable(),
  category: z.string(),
  department: z.string(),
  description: z.string(),
  deadline: z.string(),
  status: z.string(),
  statusReason: z.string().nullable(),
  resolution: z.string().nullable(),
  confirmedWithFamilyAt: z.string().nullable(),
  isOverdue: z.boolean(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
const Meeting = z.object({
  id: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  heldOn: z.string(),
  departments: z.array(z.string()),
  minutes: z.string().nullable(),
  items: z.array(
    z.object({
      needId: z.string(),
      decision: z.string(),
      familyId: z.string(),
      archiveNo: z.string(),
      category: z.string(),
      department: z.string(),
      description: z.string(),
      status: z.string(),
    }),
  ),
});
const Flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();
const RegionCode = z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['needs'];

export function needsRoutes(app: FastifyInstance, needs: NeedsService, idempotency: IdempotencyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/needs',
    { schema: { tags, body: NeedCreate, response: { 201: dataEnvelope(Need), ...errors } } },
    async (req, reply) => idempotency.send(req, reply, 201, (c) => needs.create(c, req.body)),
  );
  r.patch(
    '/api/v1/needs/:id',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64) }),
        body: NeedUpdate,
        response: { 200: dataEnvelope(Need), ...errors },
      },
    },
    async (req) => ({ data: await needs.update(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/needs',
    {
      schema: {
        tags,
        querystring: PageQuery.extend({
          regionCode: RegionCode.optional(),
          familyId: z.string().max(64).optional(),
          status: z.enum(NEED_STATUSES).optional(),
          department: z.enum(DEPARTMENTS).optional(),
          isOverdue: Flag,
          /** `false`: still to be handled (open, referred, in progress); `true`: resolved or unresolvable. */
          isClosed: Flag,
        }),
        response: { 200: listEnvelope(Need), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...query } = req.query;
      return needs.list(ctx(req), query, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/needs/by-department',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: RegionCode.optional() }),
        response: {
          200: dataEnvelope(
            z.array(
              z.object({
                department: z.string(),
                total: z.number().int(),
                resolved: z.number().int(),
                unresolvable: z.number().int(),
                overdue: z.number().int(),
                resolutionRate: z.number(),
              }),
            ),
          ),
          ...errors,
        },
      },
    },
    async (req) => ({ data: await needs.byDepartment(ctx(req), req.query.regionCode) }),
  );
  r.post(
    '/api/v1/joint-meetings',
    { schema: { tags, body: JointMeetingCreate, response: { 201: dataEnvelope(Meeting), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await needs.createMeeting(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/joint-meetings',
    {
      schema: {
        tags,
        querystring: z.object({ countyCode: RegionCode.optional() }),
        response: { 200: dataEnvelope(z.array(Meeting)), ...errors },
      },
    },
    async (req) => ({ data: await needs.listMeetings(ctx(req), req.query.countyCode) }),
  );
}
