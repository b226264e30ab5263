import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  FamilyMedicalServices,
  MedicalCoverage,
  MedicalCoverageQuery,
  MedicalServiceCreate,
  MedicalServiceEnd,
} from '../../../common/schemas/medical-services.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { MedicalServicesService } from './medical-services.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export function medicalServicesRoutes(app: FastifyInstance, medical: MedicalServicesService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['medical-services'];
  r.get(
    '/api/v1/families/:id/medical-services',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(FamilyMedicalServices), ...errors } } },
    async (req) => ({ data: await medical.forFamily(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/families/:id/medical-services',
    {
      schema: {
        tags,
        params: IdParams,
        body: MedicalServiceCreate,
        response: { 201: dataEnvelope(FamilyMedicalServices), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await medical.record(ctx(req), req.params.id, req.body) }),
  );
  r.post(
    '/api/v1/families/:id/medical-services/:serviceId/end',
    {
      schema: {
        tags,
        params: IdParams.extend({ serviceId: z.string().max(64) }),
        body: MedicalServiceEnd,
        response: { 200: dataEnvelope(FamilyMedicalServices), ...errors },
      },
    },
    async (req) => ({ data: await medical.end(ctx(req), req.params.id, req.params.serviceId, req.body) }),
  );
  r.get(
    '/api/v1/medical-services/coverage',
    {
      schema: { tags, querystring: MedicalCoverageQuery, response: { 200: dataEnvelope(MedicalCoverage), ...errors } },
    },
    async (req) => ({ data: await medical.coverage(ctx(req), req.query.regionCode) }),
  );
}
