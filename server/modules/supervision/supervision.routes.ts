import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { SupervisionQuery, SupervisionSummary } from '../../../common/schemas/supervision.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { SupervisionService } from './supervision.service.js';

/** A supervisor's page in one answer: open events by age, festival coverage, risks by colour and level, needs by department. */
export function supervisionRoutes(app: FastifyInstance, supervision: SupervisionService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/supervision/summary',
    {
      schema: {
        tags: ['supervision'],
        querystring: SupervisionQuery,
        response: {
          200: dataEnvelope(SupervisionSummary),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (req) => ({ data: await supervision.summary(ctx(req), req.query.regionCode) }),
  );
}
