import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ComplianceQuery as Query,
  ContactCompliance as ByContact,
  MonthlyCompliance as Monthly,
  OverdueFamily as Overdue,
  TrendPoint,
} from '../../../common/schemas/compliance.js';
import { Todo } from '../../../common/schemas/todos.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery, PageInfo } from '../../platform/http.js';
import type { TodosService } from '../todos/todos.service.js';
import { dataAsOf } from '../../platform/db/read-replica.js';
import type { ComplianceService } from './compliance.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['compliance'];

export function complianceRoutes(app: FastifyInstance, compliance: ComplianceService, todos: TodosService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/compliance/monthly',
    { schema: { tags, querystring: Query, response: { 200: dataEnvelope(Monthly), ...errors } } },
    async (req) => {
      const monthly = await compliance.monthly(ctx(req), req.query.regionCode, req.query.month);
      return { data: { ...monthly, asOf: dataAsOf() } };
    },
  );
  r.get(
    '/api/v1/compliance/trend',
    {
      schema: {
        tags,
        querystring: Query.extend({ months: z.coerce.number().int().min(1).max(36).default(12) }),
        response: { 200: dataEnvelope(z.array(TrendPoint)), ...errors },
      },
    },
    async (req) => ({
      data: await compliance.trend(ctx(req), req.query.regionCode, req.query.months, req.query.month),
    }),
  );
  r.get(
    '/api/v1/compliance/contacts',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(Query.shape),
        response: { 200: listEnvelope(ByContact), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, regionCode, month } = req.query;
      return compliance.byContact(ctx(req), regionCode, month, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/compliance/overdue',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(Query.shape),
        response: { 200: z.object({ data: z.array(Overdue), page: PageInfo, month: z.string() }), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, regionCode, month } = req.query;
      return compliance.overdue(ctx(req), regionCode, month, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/todos',
    { schema: { tags: ['todos'], response: { 200: dataEnvelope(z.array(Todo)), ...errors } } },
    async (req) => ({
      data: await todos.list(ctx(req)),
    }),
  );
}
