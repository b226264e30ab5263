import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CountyStaffing,
  CountyStaffingCheck,
  CountyStaffingQuery,
  CountyStaffingSet,
  CountyStaffingSummary,
} from '../../../common/schemas/county-staffing.js';
import { RegionCode } from '../../../common/schemas/users.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { CountyStaffingService } from './county-staffing.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const CountyParams = z.object({ countyCode: RegionCode });

export function countyStaffingRoutes(app: FastifyInstance, staffing: CountyStaffingService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['county-staffing'];
  r.get(
    '/api/v1/county-staffing',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(CountyStaffingQuery.shape),
        response: { 200: listEnvelope(CountyStaffingCheck), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return staffing.list(ctx(req), filters, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/county-staffing/summary',
    {
      schema: {
        tags,
        querystring: z.object({ regionCode: RegionCode.optional() }),
        response: { 200: dataEnvelope(CountyStaffingSummary), ...errors },
      },
    },
    async (req) => ({ data: await staffing.summary(ctx(req), req.query.regionCode) }),
  );
  r.get(
    '/api/v1/county-staffing/:countyCode',
    { schema: { tags, params: CountyParams, response: { 200: dataEnvelope(CountyStaffing), ...errors } } },
    async (req) => ({ data: await staffing.get(ctx(req), req.params.countyCode) }),
  );
  r.put(
    '/api/v1/county-staffing/:countyCode',
    {
      schema: {
        tags,
        params: CountyParams,
        body: CountyStaffingSet,
        response: { 200: dataEnvelope(CountyStaffing), ...errors },
      },
    },
    async (req) => ({ data: await staffing.set(ctx(req), req.params.countyCode, req.body) }),
  );
}
