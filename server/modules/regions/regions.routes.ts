import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  FoundRegion,
  Region,
  RegionCodeParams as CodeParams,
  RegionSearchQuery,
} from '../../../common/schemas/regions.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope } from '../../platform/http.js';
import type { RegionsService } from './regions.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

export function regionsRoutes(app: FastifyInstance, regions: RegionsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/regions/:code',
    { schema: { tags: ['regions'], params: CodeParams, response: { 200: dataEnvelope(Region), ...errors } } },
    async (req) => ({
      data: await regions.get(ctx(req), req.params.code),
    }),
  );

  r.get(
    '/api/v1/regions/:code/search',
    {
      schema: {
        tags: ['regions'],
        params: CodeParams,
        querystring: RegionSearchQuery,
        response: { 200: dataEnvelope(z.array(FoundRegion)), ...errors },
      },
    },
    async (req) => ({ data: await regions.search(ctx(req), req.params.code, req.query.q) }),
  );

  r.get(
    '/api/v1/regions/:code/children',
    { schema: { tags: ['regions'], params: CodeParams, response: { 200: listEnvelope(Region), ...errors } } },
    async (req) => {
      const data = await regions.children(ctx(req), req.params.code);
      return { data, page: { page: 1, pageSize: data.length, total: data.length } };
    },
  );
}
