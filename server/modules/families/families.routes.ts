import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CODE_LISTS } from '../../../common/code-lists.js';
import {
  AssistanceInput,
  FamilyCreate,
  FamilyDetail,
  FamilyListFilters,
  FamilyListItem,
  FamilyPatch,
  FamilySearchInfo,
  FamilyStats,
  HistoryEntry,
  RevealRequest,
  StatusChange,
} from '../../../common/schemas/families.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { FamiliesService } from './families.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['families'];

/** A list page; a search also says what it searched, where and how (shown when nothing was found). */
const FamilyListEnvelope = listEnvelope(FamilyListItem).extend({ search: FamilySearchInfo.optional() });

export function familiesRoutes(app: FastifyInstance, families: FamiliesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/families',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(FamilyListFilters.shape),
        response: { 200: FamilyListEnvelope, ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return families.list(ctx(req), filters, { page, pageSize });
    },
  );

  // The same search with the filters in the body, so an ID number typed into the search box never sits in a URL.
  r.post(
    '/api/v1/families/search',
    {
      schema: {
        tags,
        body: PageQuery.extend(FamilyListFilters.shape),
        response: { 200: FamilyListEnvelope, ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.body;
      return families.list(ctx(req), filters, { page, pageSize });
    },
  );

  r.get(
    '/api/v1/families/stats',
    {
      schema: {
        tags,
        querystring: FamilyListFilters.pick({ regionCode: true }),
        response: { 200: dataEnvelope(FamilyStats), ...errors },
      },
    },
    async (req) => ({ data: await families.stats(ctx(req), req.query.regionCode) }),
  );

  r.post(
    '/api/v1/families',
    { schema: { tags, body: FamilyCreate, response: { 201: dataEnvelope(FamilyDetail), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await families.create(ctx(req), req.body) }),
  );

  r.get(
    '/api/v1/families/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(FamilyDetail), ...errors } } },
    async (req) => ({
      data: await families.get(ctx(req), req.params.id),
    }),
  );

  r.patch(
    '/api/v1/families/:id',
    { schema: { tags, params: IdParams, body: FamilyPatch, response: { 200: dataEnvelope(FamilyDetail), ...errors } } },
    async (req) => ({ data: await families.update(ctx(req), req.params.id, req.body) }),
  );

  r.post(
    '/api/v1/families/:id/status',
    {
      schema: { tags, params: IdParams, body: StatusChange, response: { 200: dataEnvelope(FamilyDetail), ...errors } },
    },
    async (req) => ({ data: await families.changeStatus(ctx(req), req.params.id, req.body) }),
  );

  r.post(
    '/api/v1/families/:id/assistance',
    {
      schema: {
        tags,
        params: IdParams,
        body: AssistanceInput,
        response: { 201: dataEnvelope(FamilyDetail), ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send({ data: await families.addAssistance(ctx(req), req.params.id, req.body) }),
  );

  r.get(
    '/api/v1/families/:id/history',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(HistoryEntry)), ...errors } } },
    async (req) => ({ data: await families.history(ctx(req), req.params.id) }),
  );

  r.post(
    '/api/v1/families/:id/reveal',
    {
      schema: {
        tags,
        params: IdParams,
        body: RevealRequest,
        response: { 200: dataEnvelope(z.object({ field: z.string(), value: z.string() })), ...errors },
      },
    },
    async (req) => ({ data: await families.reveal(ctx(req), req.params.id, req.body.field, req.body.reason) }),
  );

  r.get(
    '/api/v1/code-lists',
    {
      schema: {
        tags: ['reference'],
        response: { 200: dataEnvelope(z.record(z.string(), z.record(z.string(), z.string()))) },
      },
    },
    async () => ({ data: CODE_LISTS as unknown as Record<string, Record<string, string>> }),
  );
}
