import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { SupervisionService } from './supervision.service.js';

const Summary = z.object({
  regionCode: z.string(),
  events: z.object({
    open: z.number().int(),
    overdue: z.number().int(),
    escalated: z.number().int(),
    byAge: z.array(z.object({ bucket: z.string(), count: z.number().int() })),
  }),
  festival: z.object({
    festival: z.string(),
    label: z.string(),
    year: z.number(),
    families: z.number().int(),
    cared: z.number().int(),
    declined: z.number().int(),
    rate: z.number(),
  }),
  risks: z.array(z.object({ riskLevel: z.string(), targetLevel: z.string(), count: z.number().int() })).nullable(),
  needs: z.array(
    z.object({
      department: z.string(),
      total: z.number().int(),
      resolved: z.number().int(),
      unresolvable: z.number().int(),
      overdue: z.number().int(),
      resolutionRate: z.number(),
    }),
  ),
});

/** A supervisor's page in one answer: open events by age, festival coverage, risks by colour and level, needs by department. */
export function supervisionRoutes(app: FastifyInstance, supervision: SupervisionService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/supervision/summary',
    {
      schema: {
        tags: ['supervision'],
        querystring: z.object({
          regionCode: z
            .string()
            .regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' })
            .optional(),
        }),
        response: { 200: dataEnvelope(Summary), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => ({ data: await supervision.summary(ctx(req), req.query.regionCode) }),
  );
}
