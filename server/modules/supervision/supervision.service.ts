import { festivalInFocus } from '../../../common/festivals.js';
import type { SupervisionSummary } from '../../../common/schemas/supervision.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, subtreeRange } from '../../platform/scope.js';
import type { createEventsService } from '../events/events.service.js';
import type { createFestivalsService } from '../festivals/festivals.service.js';
import type { createNeedsService } from '../needs/needs.service.js';
import type { createPetitionsService } from '../petitions/petitions.service.js';

/** The slices of the other modules the supervisor's page reads (it holds no data of its own). */
export interface SupervisionDeps {
  events: Pick<ReturnType<typeof createEventsService>, 'openInRegion'>;
  festivals: Pick<ReturnType<typeof createFestivalsService>, 'coverage'>;
  petitions: Pick<ReturnType<typeof createPetitionsService>, 'summary'>;
  needs: Pick<ReturnType<typeof createNeedsService>, 'byDepartment'>;
}

const AGE_BUCKETS: Array<[string, (h: number) => boolean]> = [
  ['24 小时内', (h) => h < 24],
  ['1–3 天', (h) => h >= 24 && h < 72],
  ['3 天以上', (h) => h >= 72],
];

export function createSupervisionService(platform: Platform, deps: SupervisionDeps) {
  return {
    /**
     * A supervisor's page in one answer: open events by age, festival coverage, risks by colour and level, needs
     * by department — of `regionCode` (in scope) or of the actor's own region.
     */
    async summary(c: RequestContext, regionCode: string | undefined): Promise<SupervisionSummary> {
      const code = regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'compliance.read', code);
      const range = regionCode ? subtreeRange(code) : actorRange(c.actor);
      const now = platform.clock.now();
      const open = await deps.events.openInRegion(range, 0);
      const ageHours = (e: { created_at: string }) => (now.getTime() - Date.parse(e.created_at)) / 3_600_000;
      // The festival whose window is open, else the next one: what the county is preparing for.
      const next = festivalInFocus(chinaDate(now));
      const festival = await deps.festivals.coverage(c, Number(next.date.slice(0, 4)), next.festival, code);
      return {
        regionCode: code,
        events: {
          open: open.length,
          overdue: open.filter((e) => e.response_due_at < now.toISOString()).length,
          escalated: open.filter((e) => e.escalation_level > 0).length,
          byAge: AGE_BUCKETS.map(([bucket, test]) => ({ bucket, count: open.filter((e) => test(ageHours(e))).length })),
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
            ? ((await deps.petitions.summary(c, regionCode)) as SupervisionSummary['risks'])
            : null,
        needs: await deps.needs.byDepartment(c, regionCode),
      };
    },
  };
}
export type SupervisionService = ReturnType<typeof createSupervisionService>;
