import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  RevealRequestApprove,
  RevealRequestCreate,
  RevealRequestListQuery,
  RevealRequestReject,
  RevealRequestView,
} from '../../../common/schemas/reveals.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { RevealRequestsService } from './reveal-requests.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['reveal-requests'];

/** Township approval of reveals beyond the hourly limit (issue 10 item 16). */
export function revealRequestsRoutes(app: FastifyInstance, requests: RevealRequestsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/families/:id/reveal-requests',
    {
      schema: {
        tags,
        params: IdParams,
        body: RevealRequestCreate,
        response: { 201: dataEnvelope(RevealRequestView), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await requests.create(ctx(req), req.params.id, req.body) }),
  );

  r.get(
    '/api/v1/reveal-requests',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(RevealRequestListQuery.shape),
        response: { 200: listEnvelope(RevealRequestView), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...query } = req.query;
      return requests.list(ctx(req), query, { page, pageSize });
    },
  );

  r.post(
    '/api/v1/reveal-requests/:id/approve',
    {
      schema: {
        tags,
        params: IdParams,
        body: RevealRequestApprove,
        response: { 200: dataEnvelope(RevealRequestView), ...errors },
      },
    },
    async (req) => ({ data: await requests.approve(ctx(req), req.params.id, req.body) }),
  );

  r.post(
    '/api/v1/reveal-requests/:id/reject',
    {
      schema: {
        tags,
        params: IdParams,
        body: RevealRequestReject,
        response: { 200: dataEnvelope(RevealRequestView), ...errors },
      },
    },
    async (req) => ({ data: await requests.reject(ctx(req), req.params.id, req.body) }),
  );
}
