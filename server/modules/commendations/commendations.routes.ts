import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CommendationCandidate,
  CommendationList,
  CommendationQuery,
  ListTransition,
  NominationCreate,
} from '../../../common/schemas/commendations.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { CommendationsService } from './commendations.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['supervision'];
const IdParams = z.object({ id: z.string().max(64) });

/** 表彰 (R17): ranked candidates with their evidence, the city's nominations, approval and publication. */
export function commendationsRoutes(app: FastifyInstance, service: CommendationsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/commendation-candidates',
    {
      schema: {
        tags,
        description: '本市（州）本年度联系人按履职实绩排名，附证据',
        querystring: CommendationQuery,
        response: { 200: dataEnvelope(z.array(CommendationCandidate)), ...errors },
      },
    },
    async (req) => ({ data: await service.candidates(ctx(req), req.query.regionCode, req.query.year) }),
  );
  r.get(
    '/api/v1/commendation-lists',
    {
      schema: {
        tags,
        querystring: CommendationQuery,
        response: { 200: dataEnvelope(CommendationList.nullable()), ...errors },
      },
    },
    async (req) => ({ data: await service.list(ctx(req), req.query.regionCode, req.query.year) }),
  );
  r.post(
    '/api/v1/commendation-nominations',
    {
      schema: {
        tags,
        description: '提名一名联系人（名额内；本年度问责结论为履职不到位的不能提名）',
        body: NominationCreate,
        response: { 201: dataEnvelope(CommendationList), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await service.nominate(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/commendation-lists/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(CommendationList), ...errors } } },
    async (req) => ({ data: await service.get(ctx(req), req.params.id) }),
  );
  r.delete(
    '/api/v1/commendation-lists/:id/nominations/:contactId',
    {
      schema: {
        tags,
        params: IdParams.extend({ contactId: z.string().max(64) }),
        response: { 200: dataEnvelope(CommendationList), ...errors },
      },
    },
    async (req) => ({ data: await service.withdraw(ctx(req), req.params.id, req.params.contactId) }),
  );
  for (const action of ['submit', 'approve', 'publish'] as const)
    r.post(
      `/api/v1/commendation-lists/:id/${action}`,
      {
        schema: {
          tags,
          params: IdParams,
          body: ListTransition,
          response: { 200: dataEnvelope(CommendationList), ...errors },
        },
      },
      async (req) => ({ data: await service[action](ctx(req), req.params.id, req.body.version) }),
    );
}
