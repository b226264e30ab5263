import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Liaison,
  LiaisonCoverage,
  LiaisonCreate,
  LiaisonListQuery,
  LiaisonProgrammeSet,
  LiaisonReport,
  LiaisonReportCreate,
  LiaisonUpdate,
  Subsidy,
  SubsidyCreate,
  SubsidyTotals,
  SubsidyTotalsQuery,
} from '../../../common/schemas/liaisons.js';
import { RegionCode } from '../../../common/schemas/users.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { LiaisonsService } from './liaisons.service.js';
import type { SubsidyExportService } from './subsidy-export.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function liaisonsRoutes(app: FastifyInstance, liaisons: LiaisonsService, exports: SubsidyExportService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['liaisons'];

  r.get(
    '/api/v1/liaisons',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(LiaisonListQuery.shape),
        response: { 200: listEnvelope(Liaison), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return liaisons.list(ctx(req), filters, { page, pageSize });
    },
  );
  r.post(
    '/api/v1/liaisons',
    { schema: { tags, body: LiaisonCreate, response: { 201: dataEnvelope(Liaison), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await liaisons.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/liaisons/coverage',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: RegionCode.optional() }),
        response: { 200: dataEnvelope(LiaisonCoverage), ...errors },
      },
    },
    async (req) => ({ data: await liaisons.coverage(ctx(req), req.query.regionCode) }),
  );
  r.get(
    '/api/v1/liaisons/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(Liaison), ...errors } } },
    async (req) => ({ data: await liaisons.get(ctx(req), req.params.id) }),
  );
  r.patch(
    '/api/v1/liaisons/:id',
    { schema: { tags, params: IdParams, body: LiaisonUpdate, response: { 200: dataEnvelope(Liaison), ...errors } } },
    async (req) => ({ data: await liaisons.update(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/liaisons/:id/reports',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(LiaisonReport)), ...errors } } },
    async (req) => ({ data: await liaisons.reports(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/liaisons/:id/reports',
    {
      schema: {
        tags,
        params: IdParams,
        body: LiaisonReportCreate,
        response: { 201: dataEnvelope(LiaisonReport), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await liaisons.addReport(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/liaisons/:id/subsidies',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(Subsidy)), ...errors } } },
    async (req) => ({ data: await liaisons.subsidies(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/liaisons/:id/subsidies',
    { schema: { tags, params: IdParams, body: SubsidyCreate, response: { 201: dataEnvelope(Subsidy), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await liaisons.addSubsidy(ctx(req), req.params.id, req.body) }),
  );
  r.put(
    '/api/v1/liaison-programmes/:countyCode',
    {
      schema: {
        tags,
        params: z.object({ countyCode: RegionCode }),
        body: LiaisonProgrammeSet,
        response: {
          200: dataEnvelope(z.object({ countyCode: z.string(), isRunning: z.boolean(), version: z.number().int() })),
          ...errors,
        },
      },
    },
    async (req) => ({ data: await liaisons.setProgramme(ctx(req), req.params.countyCode, req.body) }),
  );
  r.get(
    '/api/v1/liaison-subsidies/totals',
    { schema: { tags, querystring: SubsidyTotalsQuery, response: { 200: dataEnvelope(SubsidyTotals), ...errors } } },
    async (req) => ({ data: await liaisons.totals(ctx(req), req.query.regionCode, req.query.year) }),
  );
  r.get(
    '/api/v1/liaison-subsidies/export.xlsx',
    {
      schema: {
        tags,
        description: '联络员补助发放明细（xlsx，电话已脱敏），导出留痕',
        querystring: SubsidyTotalsQuery,
        response: { 200: z.unknown().describe('xlsx'), ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await exports.xlsx(ctx(req), req.query.regionCode, req.query.year);
      return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
    },
  );
}
