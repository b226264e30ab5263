import { festivalInFocus, FESTIVAL_LABELS } from '../../../common/festivals.js';
import {
  RANKING_FIGURE_LABELS,
  RANKING_FIGURES,
  type Ranking,
  type RankingFigure,
} from '../../../common/schemas/supervision-orders.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { authorize } from '../../platform/policy.js';
import { writeXlsx, type XlsxColumn } from '../../platform/spreadsheets/index.js';
import { rate, type ComplianceService } from '../compliance/compliance.service.js';
import type { ContactsService } from '../contacts/contacts.service.js';
import type { FestivalsService } from '../festivals/festivals.service.js';
import { regionName } from '../regions/regions.service.js';

interface Raw {
  regionCode: string;
  name: string;
  numerator: number;
  denominator: number;
  value: number;
}

/**
 * 通报 (issue 11 item 13): the child regions ranked by each figure of the dashboard. Each figure is read from
 * the very service call the dashboard's card makes — one definition per figure, so the ranking and the
 * dashboard cannot disagree (test/integration/supervision-orders.test.ts compares them).
 */
export function createRankingsService(
  platform: Platform,
  deps: {
    compliance: Pick<ComplianceService, 'monthly'>;
    contacts: Pick<ContactsService, 'coverage'>;
    festivals: Pick<FestivalsService, 'coverage'>;
  },
) {
  const { db, clock, audit } = platform;

  const FIGURES: Record<
    RankingFigure,
    (c: RequestContext, code: string, month?: string) => Promise<{ period: string; rows: Raw[] }>
  > = {
    // 走访督导's region table: /compliance/monthly children.
    home_visit_rate: async (c, code, month) => {
      const m = await deps.compliance.monthly(c, code, month);
      return {
        period: m.month,
        rows: m.children.map((ch) => ({
          ...base(ch),
          numerator: ch.visited,
          denominator: ch.families,
          value: ch.rate,
        })),
      };
    },
    // The 双岗 coverage card: /coverage children, families with both posts of the active families.
    both_posts_rate: async (c, code) => {
      const cov = await deps.contacts.coverage(c, code);
      return {
        period: chinaDate(clock.now()),
        rows: cov.children.map((ch) => ({
          ...base(ch),
          numerator: ch.bothPosts,
          denominator: ch.families,
          value: rate(ch.bothPosts, ch.families),
        })),
      };
    },
    // The supervision card's festival: the window open now, else the next (festivalInFocus).
    festival_care_rate: async (c, code) => {
      const f = festivalInFocus(chinaDate(clock.now()));
      const cov = await deps.festivals.coverage(c, Number(f.date.slice(0, 4)), f.festival, code);
      return {
        period: `${f.date.slice(0, 4)} ${FESTIVAL_LABELS[f.festival]}`,
        rows: cov.children.map((ch) => ({
          ...base(ch),
          numerator: ch.cared + ch.declined,
          denominator: ch.families,
          value: ch.rate,
        })),
      };
    },
  };

  function base(ch: { regionCode: string; name: string }) {
    return { regionCode: ch.regionCode, name: ch.name };
  }

  /** Best first; equal values share a rank; regions without families come last, unranked. */
  function ranked(rows: Raw[]) {
    const counted = rows
      .filter((r) => r.denominator > 0)
      .sort((a, b) => b.value - a.value || a.regionCode.localeCompare(b.regionCode));
    const out = counted.map((r, i) => ({
      ...r,
      rank: i > 0 && counted[i - 1].value === r.value ? 0 : i + 1,
    }));
    for (let i = 1; i < out.length; i += 1) if (out[i].rank === 0) out[i].rank = out[i - 1].rank;
    return [...out, ...rows.filter((r) => r.denominator === 0).map((r) => ({ ...r, rank: null }))];
  }

  async function ranking(
    c: RequestContext,
    figure: RankingFigure,
    regionCode?: string,
    month?: string,
  ): Promise<Ranking> {
    const code = regionCode ?? c.actor.regionCode;
    authorize(c.actor, 'ranking.read', code);
    const { period, rows } = await FIGURES[figure](c, code, month);
    return { regionCode: code, figure, label: RANKING_FIGURE_LABELS[figure], period, children: ranked(rows) };
  }

  const COLUMNS: XlsxColumn[] = [
    { header: '名次', key: 'rank', text: false },
    { header: '区划', key: 'name', width: 24 },
    { header: '区划代码', key: 'regionCode', width: 16, text: true },
    { header: '指标', key: 'value', width: 10 },
    { header: '完成数', key: 'numerator', text: false },
    { header: '应完成数', key: 'denominator', text: false },
  ];

  return {
    ranking,

    /** Every figure on its own sheet, audited as an export. */
    async rankingXlsx(c: RequestContext, regionCode?: string, month?: string) {
      const code = regionCode ?? c.actor.regionCode;
      const all = await Promise.all(RANKING_FIGURES.map((f) => ranking(c, f, code, month)));
      const buffer = await writeXlsx(
        all.map((r) => ({
          name: r.label,
          columns: COLUMNS,
          dropdownRows: 1,
          rows: r.children.map((ch) => ({
            ...ch,
            rank: ch.rank ?? '—',
            value: ch.denominator ? `${(ch.value * 100).toFixed(1)}%` : '—',
          })),
        })),
      );
      const region = await regionName(db, code);
      const period = all[0].period;
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'ranking.export',
          targetType: 'region',
          targetId: code,
          changes: { regionCode: code, month: period, figures: all.length },
        }),
      );
      return { buffer, fileName: `${region?.name ?? code}下级通报排名-${period}.xlsx` };
    },
  };
}
export type RankingsService = ReturnType<typeof createRankingsService>;
