import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../../common/limits.js';
import {
  AssignmentSet,
  BulkAssignmentResult,
  BulkAssignmentRow,
  BulkAssignmentSet,
  ContactCreate,
  ContactUpdate,
  Handover,
  POSTS,
  VillageContactCard,
} from '../../../common/schemas/contacts.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { ContactsService } from './contacts.service.js';

const Contact = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  post: z.enum(POSTS),
  regionCode: z.string(),
  regionName: z.string(),
  organization: z.string().nullable(),
  title: z.string().nullable(),
  userId: z.string().nullable(),
  isActive: z.boolean(),
  familyCount: z.number().int(),
  version: z.number().int(),
});
const Assignments = z.object({
  current: z.array(
    z.object({
      id: z.string(),
      contactId: z.string(),
      isMine: z.boolean(),
      post: z.enum(POSTS),
      name: z.string(),
      phone: z.string(),
      organization: z.string().nullable(),
      title: z.string().nullable(),
      startedAt: z.string(),
    }),
  ),
  history: z.array(
    z.object({
      id: z.string(),
      contactId: z.string(),
      post: z.enum(POSTS),
      name: z.string(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
      endReason: z.string().nullable(),
    }),
  ),
});
const coverageNumbers = {
  families: z.number().int(),
  bothPosts: z.number().int(),
  missingTownshipPost: z.number().int(),
  missingVillagePost: z.number().int(),
  specialDifficulty: z.number().int(),
  specialDifficultyWithoutCountyLeader: z.number().int(),
};
const Coverage = z.object({
  regionCode: z.string(),
  name: z.string(),
  level: z.string(),
  ...coverageNumbers,
  children: z.array(z.object({ regionCode: z.string(), name: z.string(), ...coverageNumbers })),
});
const Gap = z.object({
  id: z.string(),
  archiveNo: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  familyType: z.string(),
  isSpecialDifficulty: z.boolean(),
});
const ContactCard = z.object({
  archiveNo: z.string(),
  /** The parents' names masked (钱某兰), so a card left at the door names the household without exposing it. */
  familyName: z.string(),
  regionName: z.string(),
  address: z.string(),
  contacts: z.array(
    z.object({
      post: z.enum(POSTS),
      name: z.string(),
      phone: z.string(),
      organization: z.string().nullable(),
      title: z.string().nullable(),
    }),
  ),
});
const IdParams = z.object({ id: z.string().max(64) });
const RegionQuery = z.object({
  regionCode: z
    .string()
    .regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' })
    .optional(),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function contactsRoutes(app: FastifyInstance, contacts: ContactsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];

  r.get(
    '/api/v1/contacts',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(RegionQuery.shape).extend({
          post: z.enum(POSTS).optional(),
          q: z.string().trim().max(LIMITS.search).optional(),
          isActive: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional(),
        }),
        response: { 200: listEnvelope(Contact), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return contacts.list(ctx(req), filters, { page, pageSize });
    },
  );
  r.post(
    '/api/v1/contacts',
    { schema: { tags, body: ContactCreate, response: { 201: dataEnvelope(Contact), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await contacts.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/contacts/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(Contact), ...errors } } },
    async (req) => ({
      data: await contacts.get(ctx(req), req.params.id),
    }),
  );
  r.patch(
    '/api/v1/contacts/:id',
    { schema: { tags, params: IdParams, body: ContactUpdate, response: { 200: dataEnvelope(Contact), ...errors } } },
    async (req) => ({ data: await contacts.update(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/contacts/:id/handover',
    {
      schema: {
        tags,
        params: IdParams,
        body: Handover,
        response: { 200: dataEnvelope(z.object({ moved: z.number().int() })), ...errors },
      },
    },
    async (req) => ({
      data: await contacts.handover(ctx(req), req.params.id, req.body.successorContactId, req.body.reason),
    }),
  );
  r.get(
    '/api/v1/families/:id/assignments',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(Assignments), ...errors } } },
    async (req) => ({ data: await contacts.assignments(ctx(req), req.params.id) }),
  );
  r.put(
    '/api/v1/families/:id/assignments',
    {
      schema: { tags, params: IdParams, body: AssignmentSet, response: { 200: dataEnvelope(Assignments), ...errors } },
    },
    async (req) => ({ data: await contacts.setAssignments(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/assignments/bulk',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' }) }),
        response: { 200: dataEnvelope(z.array(BulkAssignmentRow)), ...errors },
      },
    },
    async (req) => ({ data: await contacts.bulkRoster(ctx(req), req.query.regionCode) }),
  );
  r.post(
    '/api/v1/assignments/bulk',
    { schema: { tags, body: BulkAssignmentSet, response: { 200: dataEnvelope(BulkAssignmentResult), ...errors } } },
    async (req) => ({ data: await contacts.bulkSetAssignments(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/contact-cards',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' }) }),
        response: { 200: dataEnvelope(z.array(VillageContactCard)), ...errors },
      },
    },
    async (req) => ({ data: await contacts.villageContactCards(ctx(req), req.query.regionCode) }),
  );
  r.get(
    '/api/v1/families/:id/contact-card',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(ContactCard), ...errors } } },
    async (req) => ({ data: await contacts.contactCard(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/coverage',
    { schema: { tags, querystring: RegionQuery, response: { 200: dataEnvelope(Coverage), ...errors } } },
    async (req) => ({
      data: await contacts.coverage(ctx(req), req.query.regionCode),
    }),
  );
  r.get(
    '/api/v1/coverage/gaps',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(RegionQuery.shape).extend({
          kind: z.enum(['missing_township', 'missing_village', 'special_without_leader'], { error: '缺口类型不正确' }),
        }),
        response: { 200: listEnvelope(Gap), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, kind, regionCode } = req.query;
      return contacts.gaps(ctx(req), kind, regionCode, { page, pageSize });
    },
  );
}
