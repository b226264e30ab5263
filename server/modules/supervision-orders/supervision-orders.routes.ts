import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Ranking,
  RankingQuery,
  SupervisionOrder,
  SupervisionOrderCreate,
  SupervisionOrderReply,
} from '../../../common/schemas/supervision-orders.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { RankingsService } from './rankings.service.js';
import type { SupervisionOrdersService } from './supervision-orders.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['supervision'];
const IdParams = z.object({ id: z.string().max(64) });

/** 通报 and 督办 (issue 11 item 13). */
export function supervisionOrdersRoutes(
  app: FastifyInstance,
  orders: SupervisionOrdersService,
  rankings: RankingsService,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/rankings',
    { schema: { tags, querystring: RankingQuery, response: { 200: dataEnvelope(Ranking), ...errors } } },
    async (req) => ({
      data: await rankings.ranking(ctx(req), req.query.figure, req.query.regionCode, req.query.month),
    }),
  );
  r.get(
    '/api/v1/rankings/export.xlsx',
    {
      schema: {
        tags,
        description: '下级区划按走访督导各项指标的排名（通报），每项指标一张工作表，导出留痕',
        querystring: RankingQuery.omit({ figure: true }),
        response: { 200: z.unknown().describe('xlsx'), ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await rankings.rankingXlsx(ctx(req), req.query.regionCode, req.query.month);
      return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
    },
  );
  r.get(
    '/api/v1/supervision-orders',
    {
      schema: {
        tags,
        querystring: z.object({
          box: z.enum(['sent', 'received'], { error: '应为 sent 或 received' }).default('received'),
        }),
        response: { 200: dataEnvelope(z.array(SupervisionOrder)), ...errors },
      },
    },
    async (req) => ({ data: await orders.list(ctx(req), req.query.box) }),
  );
  r.post(
    '/api/v1/supervision-orders',
    { schema: { tags, body: SupervisionOrderCreate, response: { 201: dataEnvelope(SupervisionOrder), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await orders.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/supervision-orders/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(SupervisionOrder), ...errors } } },
    async (req) => ({ data: await orders.get(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/supervision-orders/:id/reply',
    {
      schema: {
        tags,
        params: IdParams,
        body: SupervisionOrderReply,
        response: { 200: dataEnvelope(SupervisionOrder), ...errors },
      },
    },
    async (req) => ({ data: await orders.reply(ctx(req), req.params.id, req.body) }),
  );
}
