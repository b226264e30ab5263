import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DiscrepancyExplain,
  DiscrepancyListQuery,
  EstimatesQuery,
  PhoneReveal,
  PhoneRevealRequest,
  SampleSurvey,
  SampleSurveyCreate,
  SampleSurveyDraw,
  SampleSurveySummary,
  SurveyAssign,
  SurveyDiscrepancy,
  SurveyEstimates,
  SurveyFamiliesQuery,
  SurveyFamily,
  SurveyFamilyDetail,
  Surveyor,
  SurveyAssignResult,
  SurveyReproduction,
  SurveyResponseCreate,
  SurveyResponseResult,
} from '../../../common/schemas/sample-surveys.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { SampleSurveysService } from './sample-surveys.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const FamilyParams = z.object({ id: z.string().max(64), familyId: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function sampleSurveysRoutes(app: FastifyInstance, surveys: SampleSurveysService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['sample-surveys'];
  r.post(
    '/api/v1/sample-surveys',
    {
      schema: {
        tags,
        description: '冻结抽样框、按幂分配法分配样本并抽样（dryRun: true 只预览，不保存）',
        body: SampleSurveyCreate,
        response: { 200: dataEnvelope(SampleSurveyDraw), 201: dataEnvelope(SampleSurveyDraw), ...errors },
      },
    },
    async (req, reply) => {
      const data = await surveys.draw(ctx(req), req.body);
      return reply.code(req.body.dryRun ? 200 : 201).send({ data });
    },
  );
  r.get(
    '/api/v1/sample-surveys',
    {
      schema: {
        tags,
        querystring: z.object({ year: z.coerce.number().int().min(2016).max(2099).optional() }),
        response: { 200: dataEnvelope(z.array(SampleSurveySummary)), ...errors },
      },
    },
    async (req) => ({ data: await surveys.list(ctx(req), req.query.year) }),
  );
  r.get(
    '/api/v1/sample-surveys/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(SampleSurvey), ...errors } } },
    async (req) => ({ data: await surveys.get(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/sample-surveys/:id/reproduction',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(SurveyReproduction), ...errors } } },
    async (req) => ({ data: await surveys.reproduce(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/sample-surveys/:id/families',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: PageQuery.extend(SurveyFamiliesQuery.shape),
        response: { 200: listEnvelope(SurveyFamily), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...q } = req.query;
      return surveys.families(ctx(req), req.params.id, q, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/sample-surveys/:id/families/:familyId',
    { schema: { tags, params: FamilyParams, response: { 200: dataEnvelope(SurveyFamilyDetail), ...errors } } },
    async (req) => ({ data: await surveys.family(ctx(req), req.params.id, req.params.familyId) }),
  );
  r.post(
    '/api/v1/sample-surveys/:id/families/:familyId/phone',
    {
      schema: {
        tags,
        description: '分派到该家庭的调查员查看完整电话（记入审计日志）',
        params: FamilyParams,
        body: PhoneRevealRequest,
        response: { 200: dataEnvelope(PhoneReveal), ...errors },
      },
    },
    async (req) => ({
      data: await surveys.revealPhone(ctx(req), req.params.id, req.params.familyId, req.body.reason),
    }),
  );
  r.get(
    '/api/v1/sample-surveys/:id/surveyors',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(Surveyor)), ...errors } } },
    async (req) => ({ data: await surveys.surveyors(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/sample-surveys/:id/assignments',
    {
      schema: {
        tags,
        params: IdParams,
        body: SurveyAssign,
        response: { 200: dataEnvelope(SurveyAssignResult), ...errors },
      },
    },
    async (req) => ({ data: await surveys.assign(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/sample-surveys/:id/responses',
    {
      schema: {
        tags,
        description: '登记一次电话或入户访问：联系上则附问卷，返回与工作记录的差异',
        params: IdParams,
        body: SurveyResponseCreate,
        response: { 201: dataEnvelope(SurveyResponseResult), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await surveys.respond(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/sample-surveys/:id/estimates',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: EstimatesQuery,
        response: { 200: dataEnvelope(SurveyEstimates), ...errors },
      },
    },
    async (req) => ({ data: await surveys.estimates(ctx(req), req.params.id, req.query.regionCode) }),
  );
  r.get(
    '/api/v1/survey-discrepancies',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(DiscrepancyListQuery.shape),
        response: { 200: listEnvelope(SurveyDiscrepancy), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...q } = req.query;
      return surveys.discrepancies(ctx(req), q, { page, pageSize });
    },
  );
  r.post(
    '/api/v1/survey-discrepancies/:id/explain',
    {
      schema: {
        tags,
        params: IdParams,
        body: DiscrepancyExplain,
        response: { 200: dataEnvelope(SurveyDiscrepancy), ...errors },
      },
    },
    async (req) => ({ data: await surveys.explain(ctx(req), req.params.id, req.body) }),
  );
}
