import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ReportingRates,
  ReportingRatesQuery,
  StatReturn,
  StatReturnApprove,
  StatReturnChanges,
  StatReturnCreate,
  StatReturnDetail,
  StatReturnListQuery,
  StatReturnReopen,
  StatReturnSendBack,
  StatReturnSubmit,
  StatReturnUpdate,
  StatTemplateInfo,
} from '../../../common/schemas/stat-returns.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope } from '../../platform/http.js';
import type { StatReturnsService } from './stat-returns.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['stat-returns'];
const params = z.object({ id: z.string().max(64) });
const one = dataEnvelope(StatReturnDetail);

/** Statistical returns (R9, DESIGN.md §5.2): thin routes over the service. */
export function statReturnsRoutes(app: FastifyInstance, returns: StatReturnsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/stat-return-templates',
    { schema: { tags, response: { 200: dataEnvelope(z.array(StatTemplateInfo)), ...errors } } },
    async () => ({ data: returns.templates() }),
  );
  r.post(
    '/api/v1/stat-returns',
    { schema: { tags, body: StatReturnCreate, response: { 201: one, ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await returns.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/stat-returns',
    { schema: { tags, querystring: StatReturnListQuery, response: { 200: listEnvelope(StatReturn), ...errors } } },
    async (req) => {
      const data = await returns.list(ctx(req), req.query);
      return { data, page: { page: 1, pageSize: Math.max(data.length, 1), total: data.length } };
    },
  );
  r.get('/api/v1/stat-returns/:id', { schema: { tags, params, response: { 200: one, ...errors } } }, async (req) => ({
    data: await returns.get(ctx(req), req.params.id),
  }));
  r.patch(
    '/api/v1/stat-returns/:id',
    { schema: { tags, params, body: StatReturnUpdate, response: { 200: one, ...errors } } },
    async (req) => ({ data: await returns.update(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/stat-returns/:id/submit',
    { schema: { tags, params, body: StatReturnSubmit, response: { 200: one, ...errors } } },
    async (req) => ({ data: await returns.submit(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/stat-returns/:id/approve',
    { schema: { tags, params, body: StatReturnApprove, response: { 200: one, ...errors } } },
    async (req) => ({ data: await returns.approve(ctx(req), req.params.id, req.body.version) }),
  );
  r.post(
    '/api/v1/stat-returns/:id/return',
    { schema: { tags, params, body: StatReturnSendBack, response: { 200: one, ...errors } } },
    async (req) => ({ data: await returns.sendBack(ctx(req), req.params.id, req.body.version, req.body.reason) }),
  );
  r.post(
    '/api/v1/stat-returns/:id/reopen',
    { schema: { tags, params, body: StatReturnReopen, response: { 200: one, ...errors } } },
    async (req) => ({ data: await returns.reopen(ctx(req), req.params.id, req.body.version, req.body.reason) }),
  );
  r.get(
    '/api/v1/stat-returns/:id/changes',
    { schema: { tags, params, response: { 200: dataEnvelope(StatReturnChanges), ...errors } } },
    async (req) => ({ data: await returns.changes(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/reporting-rates',
    { schema: { tags, querystring: ReportingRatesQuery, response: { 200: dataEnvelope(ReportingRates), ...errors } } },
    async (req) => ({ data: await returns.reportingRates(ctx(req), req.query) }),
  );
}
