import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DuplicateListQuery, DuplicateResolve, DuplicateView } from '../../../common/schemas/duplicate-archives.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { DuplicateArchivesService } from './duplicate-archives.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['duplicate-archives'];

export function duplicateArchivesRoutes(app: FastifyInstance, duplicates: DuplicateArchivesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/duplicate-archives',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(DuplicateListQuery.shape),
        response: { 200: listEnvelope(DuplicateView), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...query } = req.query;
      return duplicates.list(ctx(req), query, { page, pageSize });
    },
  );

  r.post(
    '/api/v1/duplicate-archives/:id/resolve',
    {
      schema: {
        tags,
        params: IdParams,
        body: DuplicateResolve,
        response: { 200: dataEnvelope(DuplicateView), ...errors },
      },
    },
    async (req) => ({ data: await duplicates.resolve(ctx(req), req.params.id, req.body) }),
  );
}
