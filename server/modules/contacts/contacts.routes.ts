import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Assignments,
  AssignmentSet,
  BulkAssignmentResult,
  BulkAssignmentRow,
  BulkAssignmentSet,
  Contact,
  ContactCard,
  ContactCreate,
  ContactListFilters,
  ContactUpdate,
  Coverage,
  CoverageGap,
  CoverageGapFilters,
  Handover,
  HandoverResult,
  RegionFilter,
  VillageContactCard,
  VillageQuery,
} from '../../../common/schemas/contacts.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { ContactsService } from './contacts.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function contactsRoutes(app: FastifyInstance, contacts: ContactsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['contacts'];

  r.get(
    '/api/v1/contacts',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(ContactListFilters.shape),
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
        response: { 200: dataEnvelope(HandoverResult), ...errors },
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
        querystring: VillageQuery,
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
        querystring: VillageQuery,
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
    { schema: { tags, querystring: RegionFilter, response: { 200: dataEnvelope(Coverage), ...errors } } },
    async (req) => ({
      data: await contacts.coverage(ctx(req), req.query.regionCode),
    }),
  );
  r.get(
    '/api/v1/coverage/gaps',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(CoverageGapFilters.shape),
        response: { 200: listEnvelope(CoverageGap), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, kind, regionCode } = req.query;
      return contacts.gaps(ctx(req), kind, regionCode, { page, pageSize });
    },
  );
}
