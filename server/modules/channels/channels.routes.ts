import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CHANNEL_KINDS,
  Channel,
  ChannelAdminCandidate,
  ChannelCoverage,
  ChannelCreate,
  ChannelUpdate,
} from '../../../common/schemas/channels.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { ChannelsService } from './channels.service.js';

const RegionCode = z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['channels'];
const IdParams = z.object({ id: z.string().max(64) });

export function channelsRoutes(app: FastifyInstance, channels: ChannelsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/channels',
    { schema: { tags, body: ChannelCreate, response: { 201: dataEnvelope(Channel), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await channels.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/channels',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: RegionCode.optional(), kind: z.enum(CHANNEL_KINDS).optional() }),
        response: { 200: dataEnvelope(z.array(Channel)), ...errors },
      },
    },
    async (req) => ({ data: await channels.list(ctx(req), req.query.regionCode, req.query.kind) }),
  );
  r.get(
    '/api/v1/channels/coverage',
    {
      schema: {
        tags,
        description: '各县是否已建群：没有任何在用群的县在市州一级标出',
        querystring: z.object({ regionCode: RegionCode.optional() }),
        response: { 200: dataEnvelope(ChannelCoverage), ...errors },
      },
    },
    async (req) => ({ data: await channels.coverage(ctx(req), req.query.regionCode) }),
  );
  r.get(
    '/api/v1/channels/admin-candidates',
    {
      schema: {
        tags,
        description: '可登记为群管理员的本县工作人员账户（县级工作人员、县级领导）',
        querystring: z.object({ regionCode: RegionCode }),
        response: { 200: dataEnvelope(z.array(ChannelAdminCandidate)), ...errors },
      },
    },
    async (req) => ({ data: await channels.adminCandidates(ctx(req), req.query.regionCode) }),
  );
  r.get(
    '/api/v1/channels/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(Channel), ...errors } } },
    async (req) => ({ data: await channels.get(ctx(req), req.params.id) }),
  );
  r.patch(
    '/api/v1/channels/:id',
    { schema: { tags, params: IdParams, body: ChannelUpdate, response: { 200: dataEnvelope(Channel), ...errors } } },
    async (req) => ({ data: await channels.update(ctx(req), req.params.id, req.body) }),
  );
}
