import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGION_LEVELS } from '../../../common/roles.js';
import type { Platform } from '../../platform/context.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope } from '../../platform/http.js';
import { createRegionsService } from './regions.service.js';

const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  childCount: z.number().int(),
});
const CodeParams = z.object({ code: z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 404: ErrorBody };

export function regionsRoutes(app: FastifyInstance, platform: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const regions = createRegionsService(platform);

  r.get(
    '/api/v1/regions/:code',
    { schema: { tags: ['regions'], params: CodeParams, response: { 200: dataEnvelope(Region), ...errors } } },
    async (req) => ({
      data: await regions.get(ctx(req), req.params.code),
    }),
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
