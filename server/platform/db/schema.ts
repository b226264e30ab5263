import type { Generated } from 'kysely';

/**
 * Table shapes as Kysely sees them. Portable types only: text ids (app-generated), ISO-8601 UTC text
 * timestamps, integers 0/1 for booleans (mapped explicitly in repositories), JSON as text.
 */
export interface RegionTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  region_code: string;
  is_disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  password_changed_at: string;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  // Account security (migration 0009): optional on insert, the columns default to null.
  pending_change?: string | null;
  pending_password_hash?: string | null;
  mfa_secret?: string | null;
  mfa_pending_secret?: string | null;
  mfa_enabled_at?: string | null;
  mfa_last_step?: number | null;
  // Where pushed notifications go (migration 0017): the sealed mobile and the WeCom userid, both optional.
  phone_enc?: string | null;
  phone_idx?: string | null;
  phone_mask?: string | null;
  wecom_user_id?: string | null;
}

export interface SessionTable {
  /** SM3 digest of the session token: a stolen database does not yield live sessions. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  ip: string | null;
}

export interface AuditEventTable {
  seq: number;
  occurred_at: string;
  actor_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_region_code: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  request_id: string | null;
  changes: string | null;
  /** Position in the hash chain (1, 2, 3, …); with prev_hash and hash null until sealed (PostgreSQL, for milliseconds). */
  chain_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
  /** The region of the audited target (the auditor's scope); null on rows written before it was recorded. */
  target_region_code: string | null;
  /** The master-key version whose audit key made `hash` (migration 0029; 1 before the first rotation). */
  key_version: number;
}

/** Denials counted per actor or source and minute, written to the chain as one row when the minute is over. */
export interface AuditRateWindowTable {
  key: string;
  window_start: string;
  kind: string;
  count: number;
  actor_id: string | null;
  actor_username: string | null;
  actor_role: string | null;
  actor_region_code: string | null;
  ip: string | null;
  request_id: string | null;
  method: string | null;
  route: string | null;
  target_type: string | null;
  target_id: string | null;
  target_region_code: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface CodeListTable {
  list: string;
  code: string;
  label: string;
  sort: number;
  version: string;
}

export interface AssistanceRateTable {
  id: string;
  effective_from: string;
  family_type: string;
  amount: number;
  region_code: string | null;
  label: string;
}

export interface ArchiveSerialTable {
  village_code: string;
  last_serial: number;
}

export interface FamilyTable {
  id: string;
  archive_no: string;
  family_type: string;
  region_code: string;
  address: string;
  current_address: string | null;
  household_status: string | null;
  living_situation: string | null;
  economic_situation: string | null;
  annual_income: number | null;
  housing_situation: string | null;
  honor_certificate_no: string | null;
  is_special_difficulty: number;
  status: string;
  status_reason: string | null;
  status_date: string | null;
  status_note: string | null;
  entered_at: string;
  /** The day the family first qualifies for 特别扶助 (null: it does not), kept current on every write. */
  eligible_from: string | null;
  extra: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface FamilyMemberTable {
  id: string;
  family_id: string;
  position: number;
  relation: string;
  name: string;
  id_number_enc: string;
  id_number_idx: string;
  id_number_mask: string;
  /** HMAC-SM3 blind index of the last 6 characters (0019); null until the startup backfill reached the row. */
  id_number_tail_idx: string | null;
  sex: string;
  birth_date: string;
  phone_enc: string | null;
  phone_idx: string | null;
  phone_mask: string | null;
  ethnicity: string | null;
  education: string | null;
  marital_status: string | null;
  health: string | null;
  self_care: string | null;
  mental_state: string | null;
  pension_insurance: string | null;
  medical_insurance: string | null;
  is_deceased: number;
  death_date: string | null;
  extra: string | null;
}

/** Name search index (0019, `common/name-grams.ts`): one row per gram of a family's parents' names. */
export interface FamilyNameGramTable {
  gram: string;
  region_code: string;
  archive_no: string;
  family_id: string;
}

/** 督办 (0019-supervision-orders): from a level to one of its child regions, closed by the child's reply. */
export interface SupervisionOrderTable {
  id: string;
  from_region_code: string;
  region_code: string;
  title: string;
  body: string | null;
  figure: string | null;
  due_on: string;
  status: string;
  created_by: string;
  created_by_name: string;
  created_at: string;
  reply: string | null;
  replied_by: string | null;
  replied_by_name: string | null;
  replied_at: string | null;
  version: number;
}

/** 问责 (0023-supervision-cases): a review of a unit's work, its evidence snapshot (JSON) and finding. */
export interface AccountabilityCaseTable {
  id: string;
  region_code: string;
  unit_region_code: string;
  family_id: string | null;
  petition_event_id: string | null;
  trigger: string;
  reason: string;
  year: number;
  status: string;
  evidence: string;
  opened_at: string;
  opened_by: string;
  opened_by_name: string;
  finding: string | null;
  measures: string | null;
  /** JSON array of { contactId, name, role }. */
  people: string;
  concluded_at: string | null;
  concluded_by: string | null;
  concluded_by_name: string | null;
  version: number;
}

export interface AccountabilityCaseContactTable {
  case_id: string;
  contact_id: string;
  year: number;
  finding: string;
}

/** 表彰 (0023-supervision-cases): a city's yearly list and its nominees (evidence frozen at nomination). */
export interface CommendationListTable {
  id: string;
  region_code: string;
  year: number;
  quota: number;
  status: string;
  created_by: string;
  created_at: string;
  submitted_at: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  published_at: string | null;
  version: number;
}

/** 考核 (0026-assessments): a scheme (`definition` JSON: items, deductions) and, once published, its frozen result. */
export interface AssessmentSchemeTable {
  id: string;
  region_code: string;
  year: number;
  name: string;
  survey_id: string | null;
  definition: string;
  status: string;
  snapshot: string | null;
  created_by: string;
  created_at: string;
  published_at: string | null;
  published_by_name: string | null;
  version: number;
}

export interface CommendationNomineeTable {
  list_id: string;
  contact_id: string;
  name: string;
  post: string;
  region_code: string;
  score: number;
  evidence: string;
  reason: string | null;
  created_by: string;
  created_at: string;
}

export interface FamilyChildTable {
  family_id: string;
  name: string | null;
  relation: string | null;
  sex: string;
  birth_date: string;
  id_number_enc: string | null;
  id_number_mask: string | null;
  death_date: string | null;
  death_cause: string | null;
  disability_cert_enc: string | null;
  disability_cert_mask: string | null;
  disability_category: string | null;
  disability_grade: number | null;
  is_recovered: number | null;
  extra: string | null;
}

export interface FamilyAssistanceTable {
  id: string;
  family_id: string;
  item: string;
  period_from: string;
  period_to: string | null;
  amount_cents: number;
  source: string | null;
  note: string | null;
  created_at: string;
  created_by: string;
}

export interface FamilyHistoryTable {
  id: string;
  family_id: string;
  occurred_at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  changes: string;
}

export interface ContactTable {
  id: string;
  name: string;
  phone_enc: string;
  phone_idx: string;
  phone_mask: string;
  post: string;
  region_code: string;
  organization: string | null;
  title: string | null;
  user_id: string | null;
  is_active: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface AssignmentTable {
  id: string;
  family_id: string;
  contact_id: string;
  post: string;
  started_at: string;
  ended_at: string | null;
  end_reason: string | null;
  created_at: string;
  created_by: string;
}

export interface ContactLogTable {
  id: string;
  family_id: string;
  contact_id: string;
  mode: string;
  direction: string;
  occurred_at: string;
  /** China-time YYYY-MM of occurred_at. */
  month: string;
  participants: string | null;
  health: string | null;
  self_care: string | null;
  mental_state: string | null;
  demands: string | null;
  policies_explained: string | null;
  problems_coordinated: string | null;
  follow_ups: string | null;
  notes: string | null;
  is_on_behalf: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ContactLogRevisionTable {
  id: string;
  log_id: string;
  revised_at: string;
  revised_by: string;
  previous: string;
}

export interface FamilyMonthTable {
  family_id: string;
  month: string;
  region_code: string;
  is_counted: number;
  home_visits: number;
  /** Phone contacts of the family-month (0030), kept like `home_visits`. */
  phone_contacts: number;
  contacts: number;
  last_contact_at: string | null;
}

/**
 * The family-month facts summed per county, shard and month (0032), kept by triggers on `family_months`: what every
 * roll-up above a county reads.
 */
export interface CountyMonthTable {
  month: string;
  county_code: string;
  /** The last character of the family's id: one county's concurrent writes mostly lock different rows. */
  shard: string;
  families: number;
  visited: number;
  phone_contacts: number;
}

/** A family import job (0004): progress and results only, never the uploaded file. */
export interface FamilyImportTable {
  id: string;
  status: string;
  mode: string;
  stage: string | null;
  file_name: string;
  created_by: string;
  region_code: string;
  total: number;
  processed: number;
  accepted: number;
  rejected: number;
  skipped: number;
  /** JSON [{ row, field, message }], capped; never an ID number or phone. */
  errors: string;
  /** JSON [{ row, field, message }] of rows not imported on purpose (already archived, examples), capped. */
  skips: string;
  is_truncated: number;
  message: string | null;
  /** SM4 token of the rows in error (header and original cells), for the error workbook. */
  error_rows_enc: string | null;
  created_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
}

export interface MajorEventTable {
  id: string;
  family_id: string;
  region_code: string;
  kind: string;
  affected: string | null;
  affected_relation: string | null;
  occurred_at: string;
  description: string | null;
  response_due_at: string;
  status: string;
  escalation_level: number;
  responded_at: string | null;
  response_log_id: string | null;
  follow_up: string | null;
  closed_at: string | null;
  death_confirmed_at: string | null;
  created_by: string;
  created_at: string;
  version: number;
}

export interface EventEscalationTable {
  id: string;
  event_id: string;
  level: number;
  escalated_at: string;
}

export interface FestivalCampaignTable {
  id: string;
  year: number;
  festival: string;
  festival_date: string;
  window_from: string;
  window_to: string;
}

export interface FestivalCareTable {
  id: string;
  campaign_id: string;
  family_id: string;
  region_code: string;
  manner: string;
  amount: number | null;
  goods: string | null;
  cared_on: string;
  contact_id: string | null;
  outside_window_reason: string | null;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface PetitionRiskTable {
  id: string;
  family_id: string;
  region_code: string;
  target_level: string;
  scope: string;
  risk_level: string;
  signals: string;
  identified_at: string;
  visit_due_at: string;
  visited_at: string | null;
  visit_log_id: string | null;
  review_date: string | null;
  status: string;
  resolved_at: string | null;
  alerted_at: string | null;
  created_by: string;
  created_at: string;
  version: number;
}

export interface PetitionHandlingTable {
  id: string;
  risk_id: string;
  kind: string;
  note: string;
  handled_at: string;
  created_by: string;
}

export interface PetitionEventTable {
  id: string;
  family_id: string;
  region_code: string;
  risk_id: string | null;
  level: string;
  form: string;
  size: number;
  occurred_on: string;
  outcome: string | null;
  created_by: string;
  created_at: string;
}

export interface NeedTable {
  id: string;
  family_id: string;
  region_code: string;
  contact_log_id: string | null;
  category: string;
  department: string;
  description: string;
  deadline: string;
  status: string;
  status_reason: string | null;
  resolution: string | null;
  confirmed_with_family_at: string | null;
  closed_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface JointMeetingTable {
  id: string;
  county_code: string;
  held_on: string;
  departments: string;
  minutes: string | null;
  created_by: string;
  created_at: string;
}

export interface JointMeetingItemTable {
  meeting_id: string;
  need_id: string;
  decision: string;
}

export interface JobRunTable {
  job: string;
  last_run_at: string;
}

/* The people around the families (R12–R15, 0013-people). */
export interface LiaisonProgrammeTable {
  county_code: string;
  is_running: number;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface LiaisonTable {
  id: string;
  region_code: string;
  name: string;
  family_id: string | null;
  /** The family member this liaison is: the phone then comes from the archive. */
  member_id: string | null;
  phone_enc: string | null;
  phone_idx: string | null;
  phone_mask: string | null;
  status: string;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface LiaisonReportTable {
  id: string;
  liaison_id: string;
  region_code: string;
  reported_on: string;
  content: string;
  family_id: string | null;
  created_by: string;
  created_at: string;
}

export interface LiaisonSubsidyTable {
  id: string;
  liaison_id: string;
  region_code: string;
  period: string;
  year: number;
  kind: string;
  amount_cents: number;
  payer_region_code: string;
  payer_level: string;
  paid_on: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface CountyStaffingTable {
  county_code: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface CountyStaffingMemberTable {
  id: string;
  county_code: string;
  duty: string;
  user_id: string | null;
  name: string;
  started_on: string;
  ended_on: string | null;
  created_by: string;
  created_at: string;
}

export interface PartnerOrganizationTable {
  id: string;
  region_code: string;
  kind: string;
  name: string;
  contact_person: string | null;
  is_active: number;
  created_by: string;
  created_at: string;
  version: number;
}

export interface PairingTable {
  id: string;
  family_id: string;
  region_code: string;
  organization_id: string | null;
  volunteer_name: string | null;
  kind: string;
  description: string | null;
  started_on: string;
  ended_on: string | null;
  end_reason: string | null;
  created_by: string;
  created_at: string;
  version: number;
}

export interface PairingActivityTable {
  id: string;
  pairing_id: string;
  family_id: string;
  occurred_on: string;
  kind: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface TrainingTable {
  id: string;
  region_code: string;
  title: string;
  held_on: string;
  year: number;
  /** JSON array of topic codes. */
  topics: string;
  trainer: string | null;
  duration_minutes: number | null;
  created_by: string;
  created_at: string;
  version: number;
}

export interface TrainingAttendanceTable {
  training_id: string;
  contact_id: string;
  year: number;
  created_at: string;
}

export interface FamilyMedicalServiceTable {
  id: string;
  family_id: string;
  region_code: string;
  /** family_doctor | priority_access */
  kind: string;
  arrangement: string | null;
  institution: string;
  doctor: string | null;
  started_on: string;
  expires_on: string | null;
  ended_on: string | null;
  end_reason: string | null;
  note: string | null;
  created_by: string;
  created_at: string;
}

/** The archive that owns a parent ID number (by blind index): one household, one archive (0007). */
export interface FamilyIdClaimTable {
  id_number_idx: string;
  family_id: string;
  member_id: string;
}

/** A new archive whose parent is archived outside its creator's scope, for the supervising level (0007). */
export interface DuplicateArchiveTable {
  id: string;
  id_number_idx: string;
  new_family_id: string;
  new_region_code: string;
  existing_family_id: string;
  /** The lowest region over both archives, at least a county: whose staff resolve it. */
  supervising_code: string;
  status: 'pending' | 'transferred' | 'rejected';
  reason: string | null;
  created_at: string;
  created_by: string;
  resolved_at: string | null;
  resolved_by: string | null;
  version: number;
}

export interface RegionKeyTable {
  id: string;
  region_code: string;
  /** Hex 04‖X‖Y. */
  public_key: string;
  /** First 16 bytes of SM3(public key), hex: the serial a GB/T 35275 package names the key by. */
  key_serial: string;
  /** Sealed by the crypto provider (AAD `region_keys:<id>:<region_code>`); null for a registered foreign key. */
  sealed_private_key: string | null;
  origin: string;
  status: string;
  created_by: string | null;
  created_at: string;
  retired_at: string | null;
  version: number;
}

/** A statistical return (0011); JSON columns as text. */
export interface StatReturnTable {
  id: string;
  template: string;
  period: string;
  region_code: string;
  status: string;
  due_at: string;
  submitted_at: string | null;
  first_submitted_at: string | null;
  timeliness: string | null;
  approved_at: string | null;
  figures: string;
  definition_versions: string;
  checks: string;
  computed_at: string;
  manual: string;
  remarks: string | null;
  prepared_by: string | null;
  responsible_person: string | null;
  explanations: string;
  missing_reasons: string;
  return_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface StatReturnEventTable {
  id: string;
  return_id: string;
  seq: number;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor_id: string;
  actor_name: string;
  actor_role: string;
  occurred_at: string;
}

/** R10: a county's QQ / WeChat / WeCom group. `admins` is JSON; a family co-administrator's phone is sealed in it. */
export interface ChannelTable {
  id: string;
  region_code: string;
  kind: string;
  name: string;
  number: string | null;
  size: number | null;
  created_on: string | null;
  admins: string;
  robot_key_enc: string | null;
  robot_key_last4: string | null;
  robot_status: string | null;
  robot_error: string | null;
  is_active: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface NoticeTable {
  id: string;
  region_code: string;
  title: string;
  body: string;
  confidentiality: string;
  channel_ids: string;
  status: string;
  author_id: string;
  author_name: string;
  approver_id: string | null;
  approver_name: string | null;
  submitted_at: string | null;
  approved_at: string | null;
  published_at: string | null;
  withdrawn_at: string | null;
  status_reason: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface NoticeAttachmentTable {
  id: string;
  notice_id: string;
  file_name: string;
  file_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  created_at: string;
}

export interface NoticeStepTable {
  id: string;
  notice_id: string;
  /** 1, 2, 3 … per notice: the history's order (several steps may share a timestamp). */
  seq: number;
  at: string;
  action: string;
  actor_id: string | null;
  actor_name: string;
  reason: string | null;
}

export interface NoticeReadTable {
  notice_id: string;
  user_id: string;
  read_at: string;
}

export interface NoticeDeliveryTable {
  id: string;
  notice_id: string;
  channel_id: string;
  mode: string;
  status: string;
  attempts: number;
  last_error: string | null;
  posted_by: string | null;
  posted_by_name: string | null;
  posted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxTable {
  id: string;
  kind: string;
  delivery_id: string | null;
  channel_id: string | null;
  seq: number;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface DeliveryAttemptTable {
  id: string;
  outbox_id: string;
  channel_id: string | null;
  attempted_at: string;
  outcome: string;
  detail: string | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  dedupe_key: string;
  is_urgent: number;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPrefTable {
  user_id: string;
  kinds: string;
  channels: string;
  quiet_from: string | null;
  quiet_to: string | null;
  digest: number;
  updated_at: string;
  version: number;
}

/** Backups and restore drills (migration 0021, platform/backup). */
export interface BackupRunTable {
  id: string;
  kind: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  file: string | null;
  bytes: number | null;
  verdict: string;
  detail: string | null;
  manifest_sm3: string | null;
  schema_latest: string | null;
  trigger: string;
}

/** Master-key versions (migration 0029, platform/rekey): one current, the retired ones' audit keys sealed. */
export interface KeyVersionTable {
  version: number;
  /** The field-token key id derived from that master key: names it, never holds it. */
  key_id: string;
  state: 'current' | 'retired';
  /** Retired: its audit, anchor and index keys sealed under the current key-wrap key; null for the current one. */
  sealed_keys: string | null;
  /** The rotation that made this version current (the `key_rotation` audit row's target). */
  rotation_id: string | null;
  /** The first audit row (chain position) made under this version; null for version 1 (the first row). */
  first_chain_seq: number | null;
  created_at: string;
  retired_at: string | null;
}

export interface Database {
  regions: RegionTable;
  users: UserTable;
  sessions: SessionTable;
  audit_events: AuditEventTable;
  audit_rate_windows: AuditRateWindowTable;
  meta: MetaTable;
  code_lists: CodeListTable;
  assistance_rates: AssistanceRateTable;
  archive_serials: ArchiveSerialTable;
  families: FamilyTable;
  family_members: FamilyMemberTable;
  family_name_grams: FamilyNameGramTable;
  supervision_orders: SupervisionOrderTable;
  accountability_cases: AccountabilityCaseTable;
  accountability_case_contacts: AccountabilityCaseContactTable;
  commendation_lists: CommendationListTable;
  commendation_nominees: CommendationNomineeTable;
  assessment_schemes: AssessmentSchemeTable;
  family_children: FamilyChildTable;
  family_assistance: FamilyAssistanceTable;
  family_history: FamilyHistoryTable;
  contacts: ContactTable;
  assignments: AssignmentTable;
  contact_logs: ContactLogTable;
  contact_log_revisions: ContactLogRevisionTable;
  family_months: FamilyMonthTable;
  county_months: CountyMonthTable;
  family_imports: FamilyImportTable;
  major_events: MajorEventTable;
  event_escalations: EventEscalationTable;
  festival_campaigns: FestivalCampaignTable;
  festival_care: FestivalCareTable;
  petition_risks: PetitionRiskTable;
  petition_handlings: PetitionHandlingTable;
  petition_events: PetitionEventTable;
  needs: NeedTable;
  joint_meetings: JointMeetingTable;
  stat_returns: StatReturnTable;
  stat_return_events: StatReturnEventTable;
  joint_meeting_items: JointMeetingItemTable;
  job_runs: JobRunTable;
  login_throttle: LoginThrottleTable;
  mfa_challenges: MfaChallengeTable;
  mfa_recovery_codes: MfaRecoveryCodeTable;
  liaison_programmes: LiaisonProgrammeTable;
  liaisons: LiaisonTable;
  liaison_reports: LiaisonReportTable;
  liaison_subsidies: LiaisonSubsidyTable;
  county_staffing: CountyStaffingTable;
  county_staffing_members: CountyStaffingMemberTable;
  partner_organizations: PartnerOrganizationTable;
  pairings: PairingTable;
  pairing_activities: PairingActivityTable;
  trainings: TrainingTable;
  training_attendance: TrainingAttendanceTable;
  family_medical_services: FamilyMedicalServiceTable;
  family_id_claims: FamilyIdClaimTable;
  duplicate_archives: DuplicateArchiveTable;
  region_keys: RegionKeyTable;
  password_history: PasswordHistoryTable;
  reveal_attempts: RevealAttemptTable;
  reveal_requests: RevealRequestTable;
  channels: ChannelTable;
  backup_runs: BackupRunTable;
  key_versions: KeyVersionTable;
  notices: NoticeTable;
  notice_attachments: NoticeAttachmentTable;
  notice_steps: NoticeStepTable;
  notice_reads: NoticeReadTable;
  notice_deliveries: NoticeDeliveryTable;
  outbox: OutboxTable;
  delivery_attempts: DeliveryAttemptTable;
  notifications: NotificationTable;
  notification_prefs: NotificationPrefTable;
  idempotency_keys: IdempotencyKeyTable;
  sample_surveys: SampleSurveyTable;
  sample_survey_frame: SampleSurveyFrameTable;
  sample_survey_strata: SampleSurveyStratumTable;
  sample_survey_families: SampleSurveyFamilyTable;
  sample_survey_attempts: SampleSurveyAttemptTable;
  sample_survey_responses: SampleSurveyResponseTable;
  survey_discrepancies: SurveyDiscrepancyTable;
}

/** Login failures per source ('ip'), source × username ('ip_user') and username ('user'); see login-throttle.ts. */
export interface LoginThrottleTable {
  key: string;
  kind: string;
  user_key: string | null;
  failures: number;
  strikes: number;
  last_failure_at: string;
  blocked_until: string | null;
}

export interface MfaChallengeTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  attempts: number;
  ip: string | null;
}

export interface MfaRecoveryCodeTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface PasswordHistoryTable {
  id: string;
  user_id: string;
  password_hash: string;
  replaced_at: string;
}

export interface RevealAttemptTable {
  id: string;
  user_id: string;
  family_id: string;
  at: string;
  refused: Generated<number>;
}

/** The first answer to a phone-side POST sent with `Idempotency-Key`, per user (migration 0020). */
export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  /** SM3 of the canonical request (method, path, body): another body under the same key is refused. */
  request_digest: string;
  status: number;
  /** The answer's JSON body as first sent. */
  response: string;
  created_at: string;
}

export interface RevealRequestTable {
  id: string;
  family_id: string;
  region_code: string;
  field: string;
  reason: string;
  requested_by: string;
  requested_at: string;
  status: 'pending' | 'approved' | 'rejected' | 'used';
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  expires_at: string | null;
  used_at: string | null;
  version: Generated<number>;
}

export type { Generated };

/* The yearly sample survey (R16, 0018-sample-surveys). */
export interface SampleSurveyTable {
  id: string;
  year: number;
  region_code: string;
  frame_date: string;
  seed: string;
  rate: number;
  q: number;
  min_per_county: number;
  allocation_rule: string;
  prng: string;
  prng_version: string;
  replace_unreachable: number;
  frame_size: number;
  sample_size: number;
  frame_digest: string;
  status: string;
  created_by: string;
  created_at: string;
  version: number;
}

export interface SampleSurveyFrameTable {
  survey_id: string;
  family_id: string;
  region_code: string;
  county_code: string;
  family_type: string;
}

export interface SampleSurveyStratumTable {
  survey_id: string;
  county_code: string;
  family_type: string;
  population: number;
  sample: number;
  quota: number;
  reserves_used: number;
}

export interface SampleSurveyFamilyTable {
  survey_id: string;
  family_id: string;
  region_code: string;
  county_code: string;
  family_type: string;
  draw_rank: number;
  pi: number;
  weight: number;
  replaces_family_id: string | null;
  status: string;
  attempts: number;
  surveyor_id: string | null;
  assigned_at: string | null;
  finished_at: string | null;
  version: number;
}

export interface SampleSurveyAttemptTable {
  id: string;
  survey_id: string;
  family_id: string;
  mode: string;
  outcome: string;
  attempted_at: string;
  surveyor_id: string;
}

export interface SampleSurveyResponseTable {
  id: string;
  survey_id: string;
  family_id: string;
  region_code: string;
  mode: string;
  answers: string;
  recorded_by: string;
  recorded_at: string;
}

export interface SurveyDiscrepancyTable {
  id: string;
  survey_id: string;
  family_id: string;
  region_code: string;
  code: string;
  message: string;
  status: string;
  explanation: string | null;
  explained_by: string | null;
  explained_at: string | null;
  created_at: string;
  version: number;
}
