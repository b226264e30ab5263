import type { AuditAction, SecurityEventKind } from '../../../common/labels.js';

/**
 * The typed union of audit entries: each action with the details it records. Stored as `changes` format 1
 * (common/schemas/audit.ts): a diff becomes `fields` (values masked or digested by field), facts become
 * `facts` (codes and numbers in clear, text digested). A hash-chained row is forever: change a shape only by
 * adding optional facts, never by renaming.
 */

/** `{ path: [before, after] }`: which fields changed; the values never reach the row in clear. */
export type FieldDiff = Record<string, readonly [unknown, unknown]>;

/** Free text (a reason, a file name): always stored as a keyed digest. */
export type Text = string;

type Id = string;

/** Known targets resolve their region themselves (AuditLog.record); another type passes `targetRegionCode`. */
export type AuditTargetType = 'family' | 'user' | 'contact' | 'region' | 'family_import' | 'route' | (string & {});

/**
 * Facts of an action that records codes, flags and counts (nested objects are flattened to `a.b`): stored
 * through `auditFacts`, so a text value is digested and an ID or phone number masked whatever its key.
 */
export type Facts = Record<string, unknown>;

/** Facts of a denial counted per actor (or source) and minute (security-events.ts). */
export type SecurityFacts = {
  kind: SecurityEventKind;
  count: number;
  windowStart: string;
  method?: string;
  route?: string;
};

/** Actions with a shape of their own; every other action of AUDIT_ACTIONS records `Facts` (or nothing). */
interface Details {
  /** `reason` of a refusal, `secondFactor` of a login that needed one. */
  'auth.login': Facts | undefined;
  'auth.throttle': Facts | undefined;
  'auth.password_step': Facts | undefined;
  'auth.mfa_verify': Facts | undefined;
  'auth.mfa_enrol_start': Facts | undefined;
  'auth.mfa_enrol': Facts | undefined;
  'user.approve': Facts | undefined;
  'user.reject': Facts | undefined;
  'user.mfa_reset': Facts | undefined;
  'auth.logout': undefined;
  'auth.lockout': Facts | undefined;
  'auth.password_change': Facts | undefined;
  'user.create': { username: string; role: string; regionCode?: string; via?: string; pendingApprovalBy?: string };
  /** `{ displayName: [before, after], isDisabled: […], pending: { role: […], … } }`: names digested. */
  'user.update': Facts;
  'user.unlock': undefined;
  'security.not_found': SecurityFacts;
  'security.forbidden': SecurityFacts;
  'security.csrf_rejected': SecurityFacts;
  'security.throttled': SecurityFacts;
  'security.locked_out': SecurityFacts;
  'family.create': FieldDiff;
  'family.update': FieldDiff;
  'family.status': FieldDiff;
  'family.death': FieldDiff;
  'family.assistance': FieldDiff;
  /** `reason`: the person's free text (digested), or the code of a refusal (`rate_limit`). */
  /** `revealRequest`: the approved request that let this reveal past the hourly limit. */
  'family.reveal': { field: string; reason: Text; perHour?: number; revealRequest?: Id };
  'reveal_request.create': { requestId: Id; field: string; reason: Text };
  'reveal_request.approve': { requestId: Id; field: string; requestedBy: Id; expiresAt: string; reason?: Text };
  'reveal_request.reject': { requestId: Id; field: string; requestedBy: Id; reason: Text };
  /** The list's filters in clear (codes), except the search text: only whether there was one. */
  'family.export': {
    rowCount: number;
    hasQuery: boolean;
    [filter: string]: string | number | boolean | null | undefined;
  };
  'family.import': {
    mode: string;
    fileName: Text;
    total: number;
    accepted: number;
    rejected: number;
    skipped: number;
    archiveNos?: string[];
  };
  'family.import.errors': { rows: number };
  'family.contact_card': { contacts: number };
  'family.contact_cards': { families: number };
  'supervision_order.create': { orderId: Id; regionCode: string; dueOn: string; figure: string | null; title: Text };
  'supervision_order.reply': { orderId: Id; reply: Text };
  'ranking.export': { regionCode: string; month: string; figures: number };
  'contact.create': { post: string; regionCode: string; name: Text; phone: string };
  /** The new values: the contact's name, organisation and title are digested, the phone masked. */
  'contact.update': {
    name?: Text;
    phone?: string;
    organization?: Text | null;
    title?: Text | null;
    userId?: Id | null;
    isActive?: boolean;
  };
  'contact.handover': { successorContactId: Id; reason: Text; families: number };
  /** `post:contactId` of the posts that ended and began. */
  'assignment.set': { added: string[]; removed: string[]; reason: Text | null };
  'assignment.bulk_set': {
    families: number;
    changed: number;
    townshipContactId: Id | null;
    villageContactId: Id | null;
    familyIds: Id[];
    reason: Text | null;
  };
  'contactLog.create': { logId: Id; mode: string; occurredAt: string; contactId: Id; isOnBehalf: boolean };
  'contactLog.update': { logId: Id; fields: string[] };
  'event.report': { eventId: Id; kind: string; affectedRelation: string | null };
  'event.respond': { eventId: Id; logId: Id };
  'event.escalate': { eventId: Id; level: [number, number] };
  'event.close': { eventId: Id };
  'festival.care': { festival: string; year: number; manner: string; amount: number | null };
  'need.create': { needId: Id; category: string; department: string; deadline: string | null };
  'need.update': {
    needId: Id;
    status: [string, string];
    department: [string, string];
    deadline: [string | null, string | null];
  };
  'meeting.create': { meetingId: Id; heldOn: string; needs: number };
  /** `what`: the list or page that named the family's petition risk (risks, todos, …). */
  'petition.read': { what: string };
  'petition.risk': { riskId: Id; targetLevel: string; riskLevel: string; scope: string | null };
  'petition.alert': { riskId: Id; to: string };
  'petition.handle': { riskId: Id; kind: string; resolve: boolean };
  'petition.event': { id: Id; level: string; form: string; size: number | null };
  'petition.visit': { riskId: Id; logId: Id };
  'compliance.overdue.export': { rowCount: number; regionCode: string; month: string };
  /** `status`: `ok` or the first check that failed; `kind`: what started it (cli, scheduler). */
  'backup.create': { file: Text; bytes: number; tables: number; rows: number; status: string; kind: string };
  'backup.drill': { file: Text; durationMs: number; status: string; kind: string };
  /**
   * `npm run rekey`: the master key rotated from key version `fromVersion` to `toVersion` (key ids name the keys,
   * derived from them; no key material). This row is the first MAC'd under the new version's audit key; its
   * prev_hash is the old head, MAC'd under the old one.
   */
  key_rotation: {
    fromVersion: number;
    toVersion: number;
    fromKeyId: string;
    toKeyId: string;
    sealedValues: number;
    regionKeys: number;
    retiredVersions: number;
    recoveryCodesCleared: number;
    throttleRowsCleared: number;
  };
  'county_copy.export': { regionCode: string; rowCount: number; tables: number; version: string };
  'audit.export': { rowCount: number; category?: string; action?: string; from?: string; to?: string };
}

/** Actions whose details are a field diff (stored as `fields`); every other action records facts. */
export const DIFF_ACTIONS: ReadonlySet<AuditAction> = new Set<AuditAction>([
  'family.create',
  'family.update',
  'family.status',
  'family.death',
  'family.assistance',
]);

interface EntryBase {
  targetType?: AuditTargetType;
  targetId?: string;
  /** Where the target lives (the auditor's scope); looked up from the target when left out. */
  targetRegionCode?: string | null;
  outcome?: 'success' | 'failure' | 'denied';
}

type DetailsOf<A extends AuditAction> = A extends keyof Details ? Details[A] : Facts | undefined;

export type AuditEntry = {
  [A in AuditAction]: EntryBase & { action: A } & (undefined extends DetailsOf<A>
      ? { changes?: DetailsOf<A> }
      : { changes: DetailsOf<A> });
}[AuditAction];
