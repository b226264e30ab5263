import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MonthParam } from '../../../common/schemas/contacts.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery, PageInfo } from '../../platform/http.js';
import { TODO_KINDS, type TodosService } from '../todos/todos.service.js';
import { dataAsOf } from '../../platform/db/read-replica.js';
import type { ComplianceService } from './compliance.service.js';

const Figures = { families: z.number().int(), visited: z.number().int(), rate: z.number() };
const Monthly = z.object({
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  month: z.string(),
  ...Figures,
  children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...Figures })),
  /** Set when a lagging read replica answered (DATABASE_READ_URL): the figures are as of this time (数据截至). */
  asOf: z.string().nullable(),
});
const Query = z.object({
  regionCode: z
    .string()
    .regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' })
    .optional(),
  month: MonthParam.optional(),
});
const ByContact = z.object({
  contactId: z.string(),
  name: z.string(),
  post: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  ...Figures,
});
const Overdue = z.object({
  familyId: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.string(),
  parentNames: z.array(z.string()),
  contactsThisMonth: z.number().int(),
  lastContactAt: z.string().nullable(),
  lastHomeVisitAt: z.string().nullable(),
  contacts: z.array(z.object({ contactId: z.string(), post: z.string(), name: z.string(), phone: z.string() })),
});
const Todo = z.object({
  kind: z.enum(TODO_KINDS),
  familyId: z.string(),
  archiveNo: z.string(),
  familyName: z.string(),
  title: z.string(),
  regionName: z.string(),
  dueAt: z.string(),
  detail: z.string(),
  urgency: z.number().int(),
  path: z.string().optional(),
});
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
        response: { 200: dataEnvelope(z.array(z.object({ month: z.string(), ...Figures }))), ...errors },
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
