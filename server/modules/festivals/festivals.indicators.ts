import { FESTIVAL_LABELS, FESTIVALS, type Festival } from '../../../common/labels.js';
import { SIGNIFICANT_DIGITS, levelOfCode } from '../../platform/scope.js';
import { unitwise, type IndicatorDefinition, type IndicatorQuery } from '../stat-returns/indicators/registry.js';
import { campaignsBetween } from './festivals-figures.repository.js';
import { coverageByPrefix } from './festivals.repository.js';

/**
 * Families cared for at a festival (R6) whose date falls in the period: the festival-coverage dashboard's
 * own query (`coverageByPrefix`, cared without "declined"), over the region as one prefix, or grouped by the
 * units' prefix.
 */
async function cared(q: IndicatorQuery, festival: Festival, digits: number | null) {
  const out = new Map<string, { cared: number }>();
  for (const camp of await campaignsBetween(q.db, festival, q.from, q.to)) {
    const rows = await coverageByPrefix(
      q.db,
      q.range,
      camp.id,
      digits ?? SIGNIFICANT_DIGITS[levelOfCode(q.regionCode)],
    );
    for (const r of rows) {
      const unit = digits === null ? '' : r.prefix;
      out.set(unit, { cared: (out.get(unit)?.cared ?? 0) + Number(r.cared ?? 0) });
    }
  }
  return out;
}

export const festivalsIndicators: IndicatorDefinition[] = FESTIVALS.map((festival) => ({
  code: `festival_care_${festival}`,
  name: `${FESTIVAL_LABELS[festival]}慰问家庭`,
  unit: '户',
  kind: 'count' as const,
  sums: true,
  version: 1,
  placement: { annual: 'care', quarterly: 'care' },
  ...unitwise(
    ['cared'],
    (q, digits) => cared(q, festival, digits),
    (p) => p.cared,
  ),
}));
