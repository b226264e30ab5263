import { isAdminRole, type Role } from '../../common/roles.js';
import { AppError } from './errors.js';
import { isInScope, type Actor } from './scope.js';

/**
 * Which role may do which action — the one table of DESIGN.md §2. Region scope is checked apart:
 * an object outside the actor's subtree answers 404 whatever the role.
 */
const FAMILY_READERS: Role[] = [
  'contact',
  'village_staff',
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];
/** Staff at every level who read a region's work: the family readers without the contacts. */
const SUPERVISORS: Role[] = FAMILY_READERS.filter((role) => role !== 'contact');

export const POLICY = {
  'region.read': [...FAMILY_READERS, 'sysadmin', 'security_admin', 'auditor'],
  'user.read': ['sysadmin', 'security_admin'],
  'user.manage': ['sysadmin'],
  'user.unlock': ['sysadmin', 'security_admin'],
  // 三员 separation: the security administrator approves account changes; the auditor approves those that
  // concern a security administrator (users.service narrows it per change).
  'user.approve': ['security_admin', 'auditor'],
  'user.mfaReset': ['security_admin'],
  // 备份与恢复 (issue 18): the system administrator sees backups and drills and runs them; no family data.
  'backup.read': ['sysadmin'],
  'backup.run': ['sysadmin'],
  // R9 电子备份: the county's own electronic copy of its archives and work records.
  'countyCopy.export': ['county_staff', 'county_leader'],
  'audit.read': ['auditor'],
  // A contact reads only the families assigned to them (families.service narrows it); staff by region.
  'family.read': FAMILY_READERS,
  // R8: village staff keep their village's case information, township staff everything in the township.
  'family.write': ['village_staff', 'township_staff'],
  'family.assistance': ['township_staff'],
  'family.reveal': ['village_staff', 'township_staff', 'county_staff', 'county_leader'],
  // Beyond the hourly reveal limit: the staff of the family's township (or the county above) approve one more.
  'revealRequest.decide': ['township_staff', 'county_staff', 'county_leader'],
  // Masked rosters (ID and phone numbers masked, no petition data below the county): village staff their village's.
  'family.export': [
    'village_staff',
    'township_staff',
    'county_staff',
    'county_leader',
    'prefecture_staff',
    'province_staff',
  ],
  'family.import': ['township_staff'],
  'contact.read': SUPERVISORS,
  'contact.write': ['township_staff', 'county_staff', 'county_leader'],
  'assignment.write': ['township_staff', 'county_staff', 'county_leader'],
  // Contacts log their own work; village and township staff may log on a contact's behalf (recorded as such).
  'contactLog.write': ['contact', 'village_staff', 'township_staff'],
  // R5–R7, R11. Petition data is need-to-know: township staff and above, plus the family's own contacts.
  'event.write': ['contact', 'village_staff', 'township_staff'],
  'event.confirmDeath': ['village_staff', 'township_staff'],
  'festival.write': ['contact', 'village_staff', 'township_staff'],
  'petition.read': ['contact', 'township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'petition.write': ['contact', 'township_staff', 'county_staff', 'county_leader'],
  // Reporting a tendency seen on a visit is not reading petition data: village staff report, they do not read.
  'petition.report': ['contact', 'village_staff', 'township_staff', 'county_staff', 'county_leader'],
  'need.write': ['contact', 'village_staff', 'township_staff', 'county_staff', 'county_leader'],
  'meeting.write': ['county_staff', 'county_leader'],
  'compliance.read': SUPERVISORS,
  // 通报 and 督办 (issue 11 item 13): a level ranks its child regions and presses a lagging one; the child answers.
  'ranking.read': ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'supervisionOrder.read': ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'supervisionOrder.send': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'supervisionOrder.reply': ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff'],
  // R12–R15 and the 三个全覆盖: the people around the families. Liaisons and their money from the township up.
  'liaison.read': ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'liaison.write': ['township_staff', 'county_staff', 'county_leader'],
  'liaison.programme': ['county_staff', 'county_leader'],
  'staffing.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'staffing.write': ['county_staff', 'county_leader'],
  'partner.read': SUPERVISORS,
  'partner.write': ['township_staff', 'county_staff', 'county_leader'],
  'pairing.write': ['township_staff', 'county_staff', 'county_leader'],
  'training.read': SUPERVISORS,
  'training.write': ['township_staff', 'county_staff', 'county_leader'],
  // Family-doctor signing and priority medical access are case information (R8): kept by village and township.
  'medical.write': ['village_staff', 'township_staff'],
  // Cross-region duplicate archives (issue 10 item 2): the supervising level over both archives resolves them.
  'duplicate.resolve': ['county_staff', 'prefecture_staff', 'province_staff'],
  // R9 transmission: the SM2 keys of the reporting levels and the signed, enveloped return packages.
  'regionKey.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'regionKey.register': ['prefecture_staff', 'province_staff'],
  'statPackage.export': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'statPackage.import': ['prefecture_staff', 'province_staff'],
  // R9: returns are read by whoever reads the dashboards of the region; compiled and submitted by the
  // staff of the return's own region, approved by the level above (stat-returns.service narrows both).
  'statReturn.read': SUPERVISORS,
  'statReturn.submit': ['township_staff', 'county_staff', 'county_leader', 'prefecture_staff'],
  'statReturn.approve': ['county_leader', 'prefecture_staff', 'province_staff'],
  // R10: county channels and notices. County staff keep the registry and draft; only the county leader
  // approves; the county's contacts and staff read what was published on the platform's notice board.
  'channel.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'channel.write': ['county_staff', 'county_leader'],
  'notice.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'notice.write': ['county_staff', 'county_leader'],
  'notice.approve': ['county_leader'],
  'notice.board': ['contact', 'village_staff', 'township_staff', 'county_staff', 'county_leader'],
  // R16: the province draws the yearly sample and hands it to surveyors (its own staff, or city staff for
  // their city); the sample list is for the surveying levels only, so no county knows in advance which of
  // its families will be asked. Counties read and explain the discrepancies found in their families.
  'sampleSurvey.draw': ['province_staff'],
  'sampleSurvey.read': ['prefecture_staff', 'province_staff'],
  'sampleSurvey.assign': ['province_staff'],
  'sampleSurvey.survey': ['prefecture_staff', 'province_staff'],
  'surveyDiscrepancy.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'surveyDiscrepancy.explain': ['county_staff', 'county_leader'],
  // R17 问责: petition-grade need-to-know — the county that answers for the case and the levels above read it;
  // they open a case by hand against a unit and record the finding.
  'accountability.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'accountability.open': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'accountability.conclude': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  // R17 表彰: each city ranks and nominates its contacts; the province approves; the city publishes.
  'commendation.read': ['prefecture_staff', 'province_staff'],
  'commendation.nominate': ['prefecture_staff'],
  'commendation.approve': ['province_staff'],
  // 考核: the province runs its scheme over cities and counties, a city over its counties; a county reads its
  // own published result.
  'assessment.read': ['county_staff', 'county_leader', 'prefecture_staff', 'province_staff'],
  'assessment.manage': ['prefecture_staff', 'province_staff'],
} satisfies Record<string, Role[]>;
export type Action = keyof typeof POLICY;

export function can(actor: Pick<Actor, 'role'>, action: Action): boolean {
  return (POLICY[action] as readonly Role[]).includes(actor.role);
}

/** Every action the role may take: sent with the session so the web app's menus follow this table. */
export function abilitiesOf(role: Role): Action[] {
  return (Object.keys(POLICY) as Action[]).filter((action) => can({ role }, action));
}

/** Throws 404 for a target outside the actor's region, 403 for a role that may not act. */
export function authorize(actor: Actor, action: Action, targetRegionCode?: string): void {
  if (targetRegionCode !== undefined && !isInScope(actor, targetRegionCode)) throw AppError.notFound();
  if (!can(actor, action)) throw new AppError('FORBIDDEN');
}

/** The 三员 and family data never mix: a guard for every family-data service. */
export function seesFamilyData(role: Role): boolean {
  return !isAdminRole(role);
}
