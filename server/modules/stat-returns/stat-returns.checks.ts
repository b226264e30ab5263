import type { StatCheck } from '../../../common/schemas/stat-returns.js';
import type { IndicatorDefinition } from './indicators/registry.js';

/** A reporting child's state for the parent's checks. */
export interface ChildFigures {
  regionCode: string;
  name: string;
  approved: boolean;
  figures: Record<string, number> | null;
}

type Figures = Record<string, number>;

/**
 * The validation rules of a return (DHIS2's, run at submission and shown on every draft): identities of
 * the archive, rates within 0–100 %, no negative figure, a parent equal to the sum of its approved
 * children, and every expected child approved or given a reason. An error blocks the submission; a
 * warning needs a written explanation.
 */
export function checkReturn(
  defs: IndicatorDefinition[],
  figures: Figures,
  ctx: { children: ChildFigures[]; missingReasons: Record<string, string> },
): StatCheck[] {
  const checks: StatCheck[] = [];
  const f = (code: string) => figures[code];
  for (const d of defs) {
    const v = f(d.code);
    if (v === undefined) continue;
    if (v < 0) checks.push({ code: `negative.${d.code}`, severity: 'error', message: `${d.name}不能为负数（${v}）` });
    if (d.kind === 'rate' && v > 100)
      checks.push({ code: `rate_range.${d.code}`, severity: 'error', message: `${d.name}应在 0–100% 之间（${v}%）` });
  }
  const has = (...codes: string[]) => codes.every((c) => f(c) !== undefined);
  if (has('families_active_start', 'families_new', 'families_exited', 'families_active')) {
    const expected = f('families_active_start') + f('families_new') - f('families_exited');
    if (expected !== f('families_active'))
      checks.push({
        code: 'identity.families_active',
        severity: 'error',
        message: `期初在册 ${f('families_active_start')} 户 + 新增 ${f('families_new')} 户 − 退出 ${f('families_exited')} 户 = ${expected} 户，与期末在册 ${f('families_active')} 户不符`,
      });
  }
  if (has('families_bereaved', 'families_disabled', 'families_active')) {
    const sum = f('families_bereaved') + f('families_disabled');
    if (sum !== f('families_active'))
      checks.push({
        code: 'identity.family_types',
        severity: 'error',
        message: `失独 ${f('families_bereaved')} 户 + 伤残 ${f('families_disabled')} 户与期末在册 ${f('families_active')} 户不符`,
      });
  }
  const notAbove = (part: string, whole: string, severity: StatCheck['severity'], message: string) => {
    if (has(part, whole) && f(part) > f(whole))
      checks.push({ code: `not_above.${part}`, severity, message: `${message}（${f(part)} > ${f(whole)}）` });
  };
  notAbove('major_events_answered_on_time', 'major_events', 'error', '按时响应的重大情况多于发生的重大情况');
  notAbove('families_both_posts', 'families_active', 'warning', '落实双岗的家庭多于期末在册家庭');
  notAbove(
    'special_difficulty_with_county_leader',
    'special_difficulty_families',
    'warning',
    '县级领导联系的特殊困难家庭多于特殊困难家庭',
  );

  for (const child of ctx.children)
    if (!child.approved && !ctx.missingReasons[child.regionCode])
      checks.push({
        code: `child_missing.${child.regionCode}`,
        severity: 'error',
        message: `${child.name}的报表尚未审核通过，请先审核或填写未报原因`,
      });
  const approved = ctx.children.filter((c) => c.approved && c.figures);
  if (approved.length) {
    const differ: string[] = [];
    for (const d of defs) {
      if (!d.sums || f(d.code) === undefined) continue;
      const sum = approved.reduce((s, c) => s + (c.figures?.[d.code] ?? 0), 0);
      if (Math.abs(sum - f(d.code)) > 1e-6) differ.push(`${d.name}（本级 ${f(d.code)}，已审核下级合计 ${sum}）`);
    }
    if (differ.length)
      checks.push({
        code: 'sum_children',
        severity: 'warning',
        message: `与已审核下级报表合计不符：${differ.slice(0, 5).join('；')}${differ.length > 5 ? ` 等 ${differ.length} 项` : ''}`,
      });
  }
  return checks;
}
