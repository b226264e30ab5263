import { STAT_TEMPLATE_LABELS, type StatTemplate } from '../../../common/labels.js';
import type { StatTemplateInfo } from '../../../common/schemas/stat-returns.js';
import type { IndicatorRegistry } from './indicators/registry.js';

/**
 * The paper 统计表 as sections. Indicators place themselves in a section (`placement`), so an indicator a
 * module registers later joins the template without editing it; manual fields are what no record holds.
 */
export const SECTIONS: Array<{ key: string; title: string }> = [
  { key: 'families', title: '一、特殊家庭基本情况' },
  { key: 'assistance', title: '二、特别扶助' },
  { key: 'contacts', title: '三、联系人制度落实' },
  { key: 'visits', title: '四、联系走访' },
  { key: 'care', title: '五、重大情况与节日慰问' },
  { key: 'petitions', title: '六、信访维稳' },
  { key: 'needs', title: '七、诉求办理与联席会议' },
  // Liaisons, training, staffing, pairings and family-doctor signing register their indicators here.
  { key: 'people', title: '八、联络员、培训与结对帮扶' },
  { key: 'manual', title: '九、其他（手工填报）' },
];

export interface ManualField {
  code: string;
  name: string;
  unit: string;
  sums: boolean;
}

/** A few figures per template that no record holds; typed by the reporting office, with 填报说明. */
export const MANUAL_FIELDS: Record<StatTemplate, ManualField[]> = {
  annual: [
    { code: 'manual_local_funds', name: '地方财政投入关怀资金', unit: '元', sums: true },
    { code: 'manual_insurance_people', name: '参加综合保险人数', unit: '人', sums: true },
    { code: 'manual_elderly_care_admitted', name: '入住养老机构人数', unit: '人', sums: true },
  ],
  quarterly: [{ code: 'manual_volunteer_activities', name: '志愿服务活动次数', unit: '次', sums: true }],
};

export function templateInfo(registry: IndicatorRegistry, template: StatTemplate): StatTemplateInfo {
  const defs = registry.forTemplate(template);
  return {
    template,
    name: STAT_TEMPLATE_LABELS[template],
    sections: SECTIONS.map((s) => ({
      key: s.key,
      title: s.title,
      indicators:
        s.key === 'manual'
          ? MANUAL_FIELDS[template].map((m) => ({ ...m, manual: true, version: 1 }))
          : defs
              .filter((d) => d.placement[template] === s.key)
              .map((d) => ({
                code: d.code,
                name: d.name,
                unit: d.unit,
                sums: d.sums,
                manual: false,
                version: d.version,
              })),
    })).filter((s) => s.indicators.length > 0),
  };
}

/** The section keys a definition may use; registering into another is a programming error. */
export const SECTION_KEYS = new Set(SECTIONS.map((s) => s.key));
