import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REGION_LEVELS } from '../../../common/roles.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope } from '../../platform/http.js';
import type { RegionsService } from './regions.service.js';

const Region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  childCount: z.number().int(),
});
const CodeParams = z.object({ code: z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' }) });
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
        querystring: z.object({
          q: z.string().trim().min(1, { error: '请输入区划名称' }).max(40, { error: '区划名称最多 40 个字' }),
        }),
        response: { 200: dataEnvelope(z.array(Region.extend({ path: z.string() }))), ...errors },
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
