import { z } from 'zod';
import { LIMITS } from '../limits.js';
import { requiredText, text, Version, WorkDate } from './fields.js';
import { RegionCode } from './users.js';

/**
 * 通报 and 督办 (issue 11 item 13): the upper levels rank their child regions by each dashboard figure and send
 * a lagging child a 督办 notice (what, by when); it lands in that region's todos and is closed with a reply.
 */
export const RANKING_FIGURES = ['home_visit_rate', 'both_posts_rate', 'festival_care_rate'] as const;
export type RankingFigure = (typeof RANKING_FIGURES)[number];
export const RANKING_FIGURE_LABELS: Record<RankingFigure, string> = {
  home_visit_rate: '本月登门走访率',
  both_posts_rate: '双岗配齐率',
  festival_care_rate: '节日慰问完成率',
};

export const RankingQuery = z.object({
  regionCode: RegionCode.optional(),
  figure: z.enum(RANKING_FIGURES, { error: '指标不正确' }).default('home_visit_rate'),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 YYYY-MM' })
    .optional(),
});

export const RankingRow = z.object({
  /** 1 for the best; null for a child region without families (not ranked). */
  rank: z.number().int().nullable(),
  regionCode: z.string(),
  name: z.string(),
  value: z.number(),
  numerator: z.number().int(),
  denominator: z.number().int(),
});
export const Ranking = z.object({
  regionCode: z.string(),
  figure: z.enum(RANKING_FIGURES),
  label: z.string(),
  /** What the figure is of: a month (2026-12) or a festival (2026 中秋节). */
  period: z.string(),
  children: z.array(RankingRow),
});
export type Ranking = z.infer<typeof Ranking>;
export type RankingRow = z.infer<typeof RankingRow>;

export const SUPERVISION_ORDER_STATUSES = ['open', 'closed'] as const;
export const SupervisionOrderCreate = z.strictObject({
  /** A direct child region of the sender's own region. */
  regionCode: RegionCode,
  title: requiredText(100, '督办事项'),
  body: text(LIMITS.longText, '督办要求').nullish(),
  figure: z.enum(RANKING_FIGURES).nullish(),
  dueOn: WorkDate,
});
export type SupervisionOrderCreate = z.infer<typeof SupervisionOrderCreate>;
export const SupervisionOrderReply = z.strictObject({
  reply: requiredText(LIMITS.longText, '办理情况').min(4, { error: '请写明办理情况' }),
  version: Version,
});
export type SupervisionOrderReply = z.infer<typeof SupervisionOrderReply>;

export const SupervisionOrder = z.object({
  id: z.string(),
  fromRegionCode: z.string(),
  fromRegionName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  body: z.string().nullable(),
  figure: z.enum(RANKING_FIGURES).nullable(),
  dueOn: z.string(),
  status: z.enum(SUPERVISION_ORDER_STATUSES),
  isOverdue: z.boolean(),
  createdByName: z.string(),
  createdAt: z.string(),
  reply: z.string().nullable(),
  repliedByName: z.string().nullable(),
  repliedAt: z.string().nullable(),
  version: z.number().int(),
  abilities: z.object({ reply: z.boolean() }),
});
export type SupervisionOrder = z.infer<typeof SupervisionOrder>;
