import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Pairing,
  PairingActivity,
  PairingActivityCreate,
  PairingCoverage,
  PairingCreate,
  PairingEnd,
  PairingListQuery,
  PairingWithActivities,
  PartnerOrganization,
  PartnerOrganizationCreate,
  PartnerOrganizationQuery,
} from '../../../common/schemas/partners.js';
import { RegionCode } from '../../../common/schemas/users.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { PartnersService } from './partners.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function partnersRoutes(app: FastifyInstance, partners: PartnersService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['partners'];
  r.get(
    '/api/v1/partner-organizations',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(PartnerOrganizationQuery.shape),
        response: { 200: listEnvelope(PartnerOrganization), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return partners.listOrganizations(ctx(req), filters, { page, pageSize });
    },
  );
  r.post(
    '/api/v1/partner-organizations',
    {
      schema: {
        tags,
        body: PartnerOrganizationCreate,
        response: { 201: dataEnvelope(PartnerOrganization), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await partners.createOrganization(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/families/:id/pairings',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(PairingWithActivities)), ...errors } } },
    async (req) => ({ data: await partners.familyPairings(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/families/:id/pairings',
    { schema: { tags, params: IdParams, body: PairingCreate, response: { 201: dataEnvelope(Pairing), ...errors } } },
    async (req, reply) =>
      reply.code(201).send({ data: await partners.createPairing(ctx(req), req.params.id, req.body) }),
  );
  r.get(
    '/api/v1/pairings',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(PairingListQuery.shape),
        response: { 200: listEnvelope(Pairing), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return partners.listPairings(ctx(req), filters, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/pairings/coverage',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: RegionCode.optional() }),
        response: { 200: dataEnvelope(PairingCoverage), ...errors },
      },
    },
    async (req) => ({ data: await partners.coverage(ctx(req), req.query.regionCode) }),
  );
  r.post(
    '/api/v1/pairings/:id/end',
    { schema: { tags, params: IdParams, body: PairingEnd, response: { 200: dataEnvelope(Pairing), ...errors } } },
    async (req) => ({ data: await partners.endPairing(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/pairings/:id/activities',
    {
      schema: {
        tags,
        params: IdParams,
        body: PairingActivityCreate,
        response: { 201: dataEnvelope(PairingActivity), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await partners.addActivity(ctx(req), req.params.id, req.body) }),
  );
}
