import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CountyCopyManifest, CountyCopyQuery } from '../../../common/schemas/county-copy.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { CountyCopyService } from './county-copy.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['county-copy'];

export function countyCopyRoutes(app: FastifyInstance, copies: CountyCopyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/county-copy/manifest',
    {
      schema: {
        tags,
        description: '县级电子备份清单：各表行数与内容 SM3 摘要（不含数据），可与以前下载的清单比较',
        querystring: CountyCopyQuery,
        response: { 200: dataEnvelope(CountyCopyManifest), ...errors },
      },
    },
    async (req) => ({ data: await copies.manifest(ctx(req), req.query) }),
  );
  r.get(
    '/api/v1/county-copy',
    {
      schema: {
        tags,
        description:
          '下载县级电子备份：本县全部档案与工作记录，SM4 加密、内容密钥以本县 SM2 公钥封装并签名（GB/T 35275 DER）；清单 SM3 见 X-Manifest-Sm3；下载留痕',
        querystring: CountyCopyQuery,
        response: { 200: z.unknown().describe('binary'), ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, manifest, fileName } = await copies.download(ctx(req), req.query);
      return reply
        .type('application/octet-stream')
        .header('Content-Disposition', contentDisposition(fileName))
        .header('X-Manifest-Sm3', manifest.contentSm3)
        .send(buffer);
    },
  );
}
