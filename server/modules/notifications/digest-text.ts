/** How the 8:00 digest names each kind of todo (server/modules/todos), with its counting word. */
const SECTION: Record<string, [string, string]> = {
  event_response: ['重大情况待响应', '件'],
  petition_visit: ['信访苗头待走访', '件'],
  petition_alert: ['信访苗头预警', '件'],
  visit_due: ['本月待走访', '户'],
  festival_care: ['节日慰问', '户'],
  need_overdue: ['逾期诉求', '件'],
  training_due: ['年度培训', '项'],
  stat_return_due: ['统计报表待上报', '份'],
  stat_return_review: ['统计报表待审核', '份'],
  reveal_request: ['号码查看待审批', '件'],
  survey_call: ['抽样调查待回访', '户'],
  survey_discrepancy: ['抽样调查差异', '件'],
};

/** "重大情况待响应 1 件、本月待走访 3 户": the digest's breakdown, most numerous first. Counts only, no family. */
export function digestBreakdown(byKind: Record<string, number>): string {
  return Object.entries(byKind)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => {
      const [label, unit] = SECTION[kind] ?? ['其他待办', '项'];
      return `${label} ${n} ${unit}`;
    })
    .join('、');
}
