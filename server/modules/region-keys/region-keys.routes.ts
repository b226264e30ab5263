import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RegionCodeParams, RegionPublicKey, RegionPublicKeyRegister } from '../../../common/schemas/stat-packages.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { RegionKeysService } from './region-keys.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['stat-returns'];

export function regionKeysRoutes(app: FastifyInstance, keys: RegionKeysService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/regions/:code/public-key',
    {
      schema: {
        tags,
        description: '县、市州或省的 SM2 公钥（PEM），报表包加密和验签用；首次请求时生成密钥对，私钥加密保存、不导出',
        params: RegionCodeParams,
        response: { 200: dataEnvelope(RegionPublicKey), ...errors },
      },
    },
    async (req) => ({ data: await keys.getPublicKey(ctx(req), req.params.code) }),
  );

  r.put(
    '/api/v1/regions/:code/public-key',
    {
      schema: {
        tags,
        description:
          '登记另一平台（如自建平台的市州）的 SM2 公钥：市州、省级人员登记下级或本级上报对象的公钥，替换原有公钥',
        params: RegionCodeParams,
        body: RegionPublicKeyRegister,
        response: { 200: dataEnvelope(RegionPublicKey), ...errors },
      },
    },
    async (req) => ({ data: await keys.registerPublicKey(ctx(req), req.params.code, req.body) }),
  );
}
