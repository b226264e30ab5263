import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  JointMeeting,
  JointMeetingCreate,
  Need,
  NeedCreate,
  NeedListFilters,
  NeedsByDepartment,
  NeedUpdate,
} from '../../../common/schemas/needs.js';
import { RegionCode } from '../../../common/schemas/users.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { NeedsService } from './needs.service.js';
import type { IdempotencyService } from '../idempotency/idempotency.service.js';

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
        querystring: PageQuery.extend(NeedListFilters.shape),
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
          200: dataEnvelope(z.array(NeedsByDepartment)),
          ...errors,
        },
      },
    },
    async (req) => ({ data: await needs.byDepartment(ctx(req), req.query.regionCode) }),
  );
  r.post(
    '/api/v1/joint-meetings',
    { schema: { tags, body: JointMeetingCreate, response: { 201: dataEnvelope(JointMeeting), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await needs.createMeeting(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/joint-meetings',
    {
      schema: {
        tags,
        querystring: z.object({ countyCode: RegionCode.optional() }),
        response: { 200: dataEnvelope(z.array(JointMeeting)), ...errors },
      },
    },
    async (req) => ({ data: await needs.listMeetings(ctx(req), req.query.countyCode) }),
  );
}
