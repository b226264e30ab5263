import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { approverRegionOf, approverRoleOf, templatesOf } from './chain.js';
import { createCoreIndicators } from './indicators/index.js';
import { createIndicatorRegistry, percent } from './indicators/registry.js';
import { dueAt, periodBounds } from './periods.js';
import { templateInfo } from './templates.js';

const CONTRACT_CODES = [
  'families_active',
  'families_bereaved',
  'families_disabled',
  'families_new',
  'families_exited',
  'special_difficulty_families',
  'special_assistance_people',
  'special_assistance_amount',
  'families_both_posts',
  'special_difficulty_with_county_leader',
  'home_visit_family_months',
  'home_visit_rate',
  'phone_contacts',
  'major_events',
  'major_events_answered_on_time',
  'festival_care_spring_festival',
  'festival_care_dragon_boat',
  'festival_care_mid_autumn',
  'petition_risks',
  'petition_risks_defused',
  'petition_events_province_or_higher',
  'needs_raised',
  'needs_resolved',
  'joint_meetings',
];

describe('indicator registry', () => {
  it('holds every indicator code of the contract, each placed in the annual return', () => {
    const registry = createCoreIndicators();
    const annual = templateInfo(registry, 'annual').sections.flatMap((s) => s.indicators.map((i) => i.code));
    for (const code of CONTRACT_CODES) {
      expect(registry.get(code), code).toBeDefined();
      expect(annual, code).toContain(code);
    }
    expect(templateInfo(registry, 'quarterly').sections.at(-1)?.key).toBe('manual');
  });

  it('refuses a code registered twice, a malformed code and an unknown section', () => {
    const def = {
      code: 'liaisons',
      name: '联络员',
      unit: '人',
      kind: 'count' as const,
      sums: true,
      version: 1,
      placement: { annual: 'people' },
      compute: async () => 0,
    };
    const registry = createIndicatorRegistry();
    registry.register([def]);
    expect(() => registry.register([def])).toThrow(/twice/);
    expect(() => registry.register([{ ...def, code: 'Bad-Code' }])).toThrow(/snake_case/);
    expect(() => registry.register([{ ...def, code: 'other', placement: { annual: 'nowhere' } }])).toThrow(/section/);
    expect(templateInfo(registry, 'annual').sections.map((s) => s.key)).toEqual(['people', 'manual']);
  });

  it('rounds rates to one decimal percent', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBe(0);
  });
});

describe('periods, deadlines and the chain', () => {
  const config = loadConfig({}).statReturns;

  it('bounds a year and a quarter, and refuses a period of the other template', () => {
    expect(periodBounds('annual', '2025')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(periodBounds('quarterly', '2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodBounds('quarterly', '2024-Q4')).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    expect(() => periodBounds('annual', '2026-Q3')).toThrow();
    expect(() => periodBounds('quarterly', '2026')).toThrow();
  });

  it('dates the deadlines of the notice at the end of the China day', () => {
    expect(dueAt(config, 'annual', '2025', 'township', false)).toBe('2026-03-31T15:59:59.999Z');
    expect(dueAt(config, 'annual', '2025', 'county', false)).toBe('2026-04-30T15:59:59.999Z');
    expect(dueAt(config, 'annual', '2025', 'prefecture', false)).toBe('2026-05-15T15:59:59.999Z');
    // A province-direct unit reports to the province by the city's date.
    expect(dueAt(config, 'annual', '2025', 'county', true)).toBe('2026-05-15T15:59:59.999Z');
    expect(dueAt(config, 'quarterly', '2026-Q3', 'township', false)).toBe('2026-10-10T15:59:59.999Z');
    const custom = loadConfig({ STAT_DUE_ANNUAL_CITY: '05-20', STAT_DUE_QUARTERLY_DAYS: '15' }).statReturns;
    expect(dueAt(custom, 'annual', '2025', 'prefecture', false)).toBe('2026-05-20T15:59:59.999Z');
    expect(dueAt(custom, 'quarterly', '2026-Q4', 'township', false)).toBe('2027-01-15T15:59:59.999Z');
    expect(() => loadConfig({ STAT_DUE_ANNUAL_CITY: '5-15' })).toThrow(/MM-DD/);
  });

  it('sends a township to its county, a county to its city, a city and a 4290 unit to the province', () => {
    expect(approverRegionOf('420881001000')).toBe('420881000000');
    expect(approverRoleOf('420881001000')).toBe('county_leader');
    expect(approverRegionOf('420881000000')).toBe('420800000000');
    expect(approverRoleOf('420881000000')).toBe('prefecture_staff');
    expect(approverRegionOf('420800000000')).toBe('420000000000');
    expect(approverRoleOf('420800000000')).toBe('province_staff');
    expect(approverRegionOf('429004000000')).toBe('420000000000');
    expect(approverRoleOf('429004000000')).toBe('province_staff');
    expect(templatesOf('429000000000')).toEqual([]);
    expect(templatesOf('420881000000')).toEqual(['annual']);
    expect(templatesOf('420881001000')).toEqual(['annual', 'quarterly']);
    expect(templatesOf('420000000000')).toEqual([]);
  });
});
