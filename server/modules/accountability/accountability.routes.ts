import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountabilityCase,
  AccountabilityCaseCreate,
  AccountabilityConclude,
  AccountabilityListQuery,
} from '../../../common/schemas/accountability.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { AccountabilityService } from './accountability.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['supervision'];
const IdParams = z.object({ id: z.string().max(64) });

/** 问责 (R17): cases opened by province-level-or-higher petitions or by hand, their evidence and finding. */
export function accountabilityRoutes(app: FastifyInstance, cases: AccountabilityService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/accountability-cases',
    {
      schema: {
        tags,
        description: '问责核查案件（含启动时汇集的证据），每次查看留痕',
        querystring: AccountabilityListQuery,
        response: { 200: dataEnvelope(z.array(AccountabilityCase)), ...errors },
      },
    },
    async (req) => ({ data: await cases.list(ctx(req), req.query) }),
  );
  r.post(
    '/api/v1/accountability-cases',
    {
      schema: {
        tags,
        description: '对县、乡镇或村人工启动问责核查',
        body: AccountabilityCaseCreate,
        response: { 201: dataEnvelope(AccountabilityCase), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await cases.open(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/accountability-cases/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(AccountabilityCase), ...errors } } },
    async (req) => ({ data: await cases.get(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/accountability-cases/:id/conclude',
    {
      schema: {
        tags,
        description: '记录核查结论（已履职 / 履职不到位）、处理措施和相关人员，办结',
        params: IdParams,
        body: AccountabilityConclude,
        response: { 200: dataEnvelope(AccountabilityCase), ...errors },
      },
    },
    async (req) => ({ data: await cases.conclude(ctx(req), req.params.id, req.body) }),
  );
}
