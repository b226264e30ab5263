import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { festivalsOfYear } from '../../../common/festivals.js';
import { chinaDate } from '../../platform/clock.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, subtreeRange } from '../../platform/scope.js';
import type { Services } from '../../services.js';

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
export function supervisionRoutes(app: FastifyInstance, services: Services): void {
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
    async (req) => {
      const c = ctx(req);
      const code = req.query.regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const range = req.query.regionCode ? subtreeRange(code) : actorRange(c.actor);
      const now = req.server.platform.clock.now();
      const open = await services.events.openInRegion(range, 0);
      const ageHours = (e: { created_at: string }) => (now.getTime() - Date.parse(e.created_at)) / 3_600_000;
      const buckets: Array<[string, (h: number) => boolean]> = [
        ['24 小时内', (h) => h < 24],
        ['1–3 天', (h) => h >= 24 && h < 72],
        ['3 天以上', (h) => h >= 72],
      ];
      // The festival whose window is open, else the next one: what the county is preparing for.
      const today = chinaDate(now);
      const year = Number(today.slice(0, 4));
      const next = [...festivalsOfYear(year), ...festivalsOfYear(year + 1)].find((f) => f.windowTo >= today)!;
      const festival = await services.festivals.coverage(c, Number(next.date.slice(0, 4)), next.festival, code);
      return {
        data: {
          regionCode: code,
          events: {
            open: open.length,
            overdue: open.filter((e) => e.response_due_at < now.toISOString()).length,
            escalated: open.filter((e) => e.escalation_level > 0).length,
            byAge: buckets.map(([bucket, test]) => ({ bucket, count: open.filter((e) => test(ageHours(e))).length })),
          },
          festival: {
            festival: festival.festival,
            label: festival.label,
            year: festival.year,
            families: festival.families,
            cared: festival.cared,
            declined: festival.declined,
            rate: festival.rate,
          },
          risks:
            can(c.actor, 'petition.read') && c.actor.role !== 'contact'
              ? await services.petitions.summary(c, req.query.regionCode)
              : null,
          needs: await services.needs.byDepartment(c, req.query.regionCode),
        },
      };
    },
  );
}
