import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssessmentCatalogueEntry,
  AssessmentPublish,
  AssessmentQuery,
  AssessmentResult,
  AssessmentScheme,
  AssessmentSchemeInput,
  AssessmentSchemeReplace,
} from '../../../common/schemas/assessments.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { AssessmentsService } from './assessments.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['supervision'];
const IdParams = z.object({ id: z.string().max(64) });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 考核 (issue 15 part 5): schemes, the live or frozen ranking, publication and the xlsx export. */
export function assessmentsRoutes(app: FastifyInstance, service: AssessmentsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/assessment-catalogue',
    {
      schema: {
        tags,
        description: '可选的考核指标：统计报表指标与抽样调查指标',
        response: { 200: dataEnvelope(z.array(AssessmentCatalogueEntry)), ...errors },
      },
    },
    async (req) => ({ data: service.catalogue(ctx(req)) }),
  );
  r.get(
    '/api/v1/assessment-schemes',
    {
      schema: {
        tags,
        description: '本级及下级制定的考核方案，以及上级已发布的考核',
        querystring: AssessmentQuery,
        response: { 200: dataEnvelope(z.array(AssessmentScheme)), ...errors },
      },
    },
    async (req) => ({ data: await service.list(ctx(req), req.query.regionCode, req.query.year) }),
  );
  r.post(
    '/api/v1/assessment-schemes',
    {
      schema: {
        tags,
        description: '新建考核方案（权重之和须为 100）',
        body: AssessmentSchemeInput,
        response: { 201: dataEnvelope(AssessmentScheme), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await service.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/assessment-schemes/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(AssessmentScheme), ...errors } } },
    async (req) => ({ data: await service.get(ctx(req), req.params.id) }),
  );
  r.put(
    '/api/v1/assessment-schemes/:id',
    {
      schema: {
        tags,
        params: IdParams,
        body: AssessmentSchemeReplace,
        response: { 200: dataEnvelope(AssessmentScheme), ...errors },
      },
    },
    async (req) => ({ data: await service.update(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/assessment-schemes/:id/result',
    {
      schema: {
        tags,
        description: '考核排名：草稿实时计算，发布后为冻结的结果',
        params: IdParams,
        response: { 200: dataEnvelope(AssessmentResult), ...errors },
      },
    },
    async (req) => ({ data: await service.result(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/assessment-schemes/:id/publish',
    {
      schema: {
        tags,
        description: '发布考核结果（冻结得分与所用数据）',
        params: IdParams,
        body: AssessmentPublish,
        response: { 200: dataEnvelope(AssessmentScheme), ...errors },
      },
    },
    async (req) => ({ data: await service.publish(ctx(req), req.params.id, req.body.version) }),
  );
  r.get(
    '/api/v1/assessment-schemes/:id/export.xlsx',
    {
      schema: {
        tags,
        description: '导出考核排名（导出留痕）',
        params: IdParams,
        response: { 200: z.unknown().describe('xlsx'), ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await service.exportXlsx(ctx(req), req.params.id);
      return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
    },
  );
}
