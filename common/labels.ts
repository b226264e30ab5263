/**
 * The enumerations and their Chinese labels, with no Zod and no lunar calendar behind them: what the
 * browser imports (a label must not cost a page 30–130 kB). The schemas in common/schemas build on these.
 */

/** 岗位 (DESIGN.md §3). The township and village posts are the 双岗 every active family must have. */
export const POSTS = [
  'township_cadre',
  'village_cadre',
  'association_member',
  'family_doctor',
  'volunteer',
  'county_leader',
] as const;

export type Post = (typeof POSTS)[number];

export const POST_LABELS: Record<Post, string> = {
  township_cadre: '乡镇（街道）包村干部',
  village_cadre: '村（居）委会干部',
  association_member: '计生协会员',
  family_doctor: '家庭医生',
  volunteer: '志愿者',
  county_leader: '县级卫健部门领导',
};

/** The region level a contact of each post belongs to. */
export const POST_REGION_LEVEL: Record<Post, 'county' | 'township' | 'village'> = {
  township_cadre: 'township',
  village_cadre: 'village',
  association_member: 'village',
  family_doctor: 'village',
  volunteer: 'village',
  county_leader: 'county',
};

export const HELPER_POSTS: readonly Post[] = ['association_member', 'family_doctor', 'volunteer'];

export const CONTACT_MODES = ['home_visit', 'phone', 'online', 'other'] as const;

export const CONTACT_MODE_LABELS: Record<(typeof CONTACT_MODES)[number], string> = {
  home_visit: '登门走访',
  phone: '电话联系',
  online: '网络沟通',
  other: '其他',
};

export const DIRECTIONS = ['outreach', 'family_initiated'] as const;

export const DIRECTION_LABELS: Record<(typeof DIRECTIONS)[number], string> = {
  outreach: '联系人主动联系',
  family_initiated: '家庭主动联系',
};

export const PROBLEM_AREAS = ['economic', 'medical', 'elderly_care', 'housing', 'mental', 'legal', 'other'] as const;

export const PROBLEM_AREA_LABELS: Record<(typeof PROBLEM_AREAS)[number], string> = {
  economic: '经济困难',
  medical: '医疗',
  elderly_care: '养老',
  housing: '住房',
  mental: '精神慰藉',
  legal: '法律',
  other: '其他',
};

export const MENTAL_SCALE = ['stable', 'fair', 'attention', 'crisis'] as const;

/** 重大情况 (R5) */
export const EVENT_KINDS = ['accident', 'serious_illness', 'disaster', 'death'] as const;

export const EVENT_KIND_LABELS: Record<(typeof EVENT_KINDS)[number], string> = {
  accident: '意外',
  serious_illness: '重病',
  disaster: '受灾',
  death: '亡故',
};

export const AFFECTED = ['father', 'mother', 'child', 'family'] as const;

/** 节日慰问 (R6) */
export const CARE_MANNERS = ['home_visit', 'phone', 'goods', 'money', 'group_activity', 'declined'] as const;

export const CARE_MANNER_LABELS: Record<(typeof CARE_MANNERS)[number], string> = {
  home_visit: '登门慰问',
  phone: '电话慰问',
  goods: '送慰问品',
  money: '送慰问金',
  group_activity: '集体活动',
  declined: '家庭婉拒',
};

/** 信访苗头 (R7) */
export const TARGET_LEVELS = ['county', 'prefecture', 'province', 'out_of_province', 'beijing'] as const;

export const TARGET_LEVEL_LABELS: Record<(typeof TARGET_LEVELS)[number], string> = {
  county: '到县',
  prefecture: '到市',
  province: '到省',
  out_of_province: '省外',
  beijing: '进京',
};

export const RISK_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;

export const RISK_LEVEL_LABELS: Record<(typeof RISK_LEVELS)[number], string> = {
  blue: '蓝色',
  yellow: '黄色',
  orange: '橙色',
  red: '红色',
};

export const HANDLING_KINDS = ['learned', 'helped', 'counselled', 'other'] as const;

export const HANDLING_KIND_LABELS: Record<(typeof HANDLING_KINDS)[number], string> = {
  learned: '了解情况',
  helped: '帮助解决',
  counselled: '疏导劝解',
  other: '其他',
};

/** How an actual petition reached the authorities (信访形式). */
export const PETITION_FORMS = ['visit', 'letter', 'online', 'phone'] as const;

export const PETITION_FORM_LABELS: Record<(typeof PETITION_FORMS)[number], string> = {
  visit: '走访',
  letter: '来信',
  online: '网上信访',
  phone: '电话',
};

/** 诉求 and 联席会议 (R11) */
export const NEED_CATEGORIES = ['economic', 'medical', 'elderly_care', 'housing', 'mental', 'legal', 'other'] as const;

export const NEED_CATEGORY_LABELS: Record<(typeof NEED_CATEGORIES)[number], string> = {
  economic: '经济',
  medical: '医疗',
  elderly_care: '养老',
  housing: '住房',
  mental: '精神慰藉',
  legal: '法律',
  other: '其他',
};

export const DEPARTMENTS = ['health', 'civil_affairs', 'finance', 'hrss', 'housing', 'other'] as const;

export const DEPARTMENT_LABELS: Record<(typeof DEPARTMENTS)[number], string> = {
  health: '卫健',
  civil_affairs: '民政',
  finance: '财政',
  hrss: '人社',
  housing: '住建',
  other: '其他',
};

export const NEED_STATUSES = ['open', 'referred', 'in_progress', 'resolved', 'unresolvable'] as const;

export type NeedStatus = (typeof NEED_STATUSES)[number];

export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  open: '待办理',
  referred: '已转办',
  in_progress: '办理中',
  resolved: '已解决',
  unresolvable: '无法解决',
};

/**
 * The status flow of a need: open → referred → in progress → resolved | unresolvable, steps may be
 * skipped forward, a closed need stays closed. The server enforces it; the web shows only these buttons.
 */
export const NEED_NEXT_STATUSES: Record<NeedStatus, readonly Exclude<NeedStatus, 'open'>[]> = {
  open: ['referred', 'in_progress', 'resolved', 'unresolvable'],
  referred: ['in_progress', 'resolved', 'unresolvable'],
  in_progress: ['resolved', 'unresolvable'],
  resolved: [],
  unresolvable: [],
};

export const FESTIVALS = ['spring_festival', 'dragon_boat', 'mid_autumn'] as const;

export type Festival = (typeof FESTIVALS)[number];

export const FESTIVAL_LABELS: Record<Festival, string> = {
  spring_festival: '春节',
  dragon_boat: '端午节',
  mid_autumn: '中秋节',
};

/** 统计报表 (R9): the templates, the approval chain's states and timeliness. */
export const STAT_TEMPLATES = ['annual', 'quarterly'] as const;

export type StatTemplate = (typeof STAT_TEMPLATES)[number];

export const STAT_TEMPLATE_LABELS: Record<StatTemplate, string> = {
  annual: '计划生育特殊家庭及联系帮扶情况统计表（年报）',
  quarterly: '计划生育特殊家庭联系帮扶情况季报',
};

export const STAT_RETURN_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;

export type StatReturnStatus = (typeof STAT_RETURN_STATUSES)[number];

export const STAT_RETURN_STATUS_LABELS: Record<StatReturnStatus, string> = {
  draft: '草稿',
  submitted: '已上报待审核',
  approved: '已审核',
  returned: '已退回',
};

export const TIMELINESS = ['on_time', 'late'] as const;

export type Timeliness = (typeof TIMELINESS)[number];

export const TIMELINESS_LABELS: Record<Timeliness | 'missing', string> = {
  on_time: '按时',
  late: '迟报',
  missing: '未报',
};

export const STAT_CHECK_SEVERITY_LABELS: Record<'error' | 'warning', string> = { error: '错误', warning: '提示' };

/* The people around the families (R12–R15) and the 三个全覆盖. */

export const LIAISON_STATUSES = ['active', 'ended'] as const;
export const LIAISON_STATUS_LABELS: Record<(typeof LIAISON_STATUSES)[number], string> = {
  active: '在任',
  ended: '已卸任',
};

/** The 2–3 check per township (R12): fewer is short, more is over. */
export const LIAISON_CHECK = { min: 2, max: 3 } as const;
export const LIAISON_COVERAGE_STATUSES = ['ok', 'short', 'over'] as const;
export const LIAISON_COVERAGE_LABELS: Record<(typeof LIAISON_COVERAGE_STATUSES)[number], string> = {
  ok: '达标（2–3 名）',
  short: '不足 2 名',
  over: '超过 3 名',
};

export const SUBSIDY_KINDS = ['phone', 'transport', 'other'] as const;
export const SUBSIDY_KIND_LABELS: Record<(typeof SUBSIDY_KINDS)[number], string> = {
  phone: '通讯费',
  transport: '交通费',
  other: '其他',
};
/** Above this a month's subsidy is a typing error, not a payment (a quarter allows three times it). */
export const SUBSIDY_MAX_YUAN_PER_MONTH = 10_000;

export const STAFFING_DUTIES = ['leader', 'staff'] as const;
export const STAFFING_DUTY_LABELS: Record<(typeof STAFFING_DUTIES)[number], string> = {
  leader: '分管领导',
  staff: '工作人员',
};
/** R13: one responsible leader and 1–2 staff per county health department. */
export const STAFFING_CHECK = { minStaff: 1, maxStaff: 2 } as const;

export const PARTNER_KINDS = [
  'family_planning_association',
  'trade_union',
  'youth_league',
  'womens_federation',
  'disabled_federation',
  'social_work',
  'volunteer_service',
  'other',
] as const;
export const PARTNER_KIND_LABELS: Record<(typeof PARTNER_KINDS)[number], string> = {
  family_planning_association: '计生协',
  trade_union: '工会',
  youth_league: '共青团',
  womens_federation: '妇联',
  disabled_federation: '残联',
  social_work: '社会工作服务机构',
  volunteer_service: '志愿者服务组织',
  other: '其他',
};

export const PAIRING_KINDS = ['emotional_support', 'daily_care', 'medical_escort', 'other'] as const;
export const PAIRING_KIND_LABELS: Record<(typeof PAIRING_KINDS)[number], string> = {
  emotional_support: '精神慰藉',
  daily_care: '生活照料',
  medical_escort: '陪同就医',
  other: '其他',
};

export const TRAINING_TOPICS = ['policy', 'counselling', 'mass_work', 'other'] as const;
export const TRAINING_TOPIC_LABELS: Record<(typeof TRAINING_TOPICS)[number], string> = {
  policy: '扶助政策',
  counselling: '心理疏导',
  mass_work: '群众工作方法',
  other: '其他',
};

export const MEDICAL_SERVICE_KINDS = ['family_doctor', 'priority_access'] as const;
export const MEDICAL_SERVICE_KIND_LABELS: Record<(typeof MEDICAL_SERVICE_KINDS)[number], string> = {
  family_doctor: '家庭医生签约',
  priority_access: '就医绿色通道（优先便利）',
};
export const PRIORITY_ARRANGEMENTS = ['card', 'arrangement'] as const;
export const PRIORITY_ARRANGEMENT_LABELS: Record<(typeof PRIORITY_ARRANGEMENTS)[number], string> = {
  card: '优待卡（就医卡）',
  arrangement: '绿色通道安排',
};

/** A cross-region duplicate archive (issue 10 item 2): pending until the supervising level resolves it. */
export const DUPLICATE_STATUSES = ['pending', 'transferred', 'rejected'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];
export const DUPLICATE_STATUS_LABELS: Record<DuplicateStatus, string> = {
  pending: '待处理',
  transferred: '已转移档案',
  rejected: '已驳回新档案',
};

export const DUPLICATE_RESOLUTIONS = ['transfer', 'reject'] as const;
export type DuplicateResolution = (typeof DUPLICATE_RESOLUTIONS)[number];
export const DUPLICATE_RESOLUTION_LABELS: Record<DuplicateResolution, string> = {
  transfer: '转移档案：原档案以“户籍迁出”退出，保留新档案',
  reject: '驳回新档案：新档案退出，保留原档案',
};

/** Where a reporting level's SM2 key came from (R9 packages). */
export const REGION_KEY_ORIGINS = ['generated', 'registered'] as const;

export type RegionKeyOrigin = (typeof REGION_KEY_ORIGINS)[number];

export const REGION_KEY_ORIGIN_LABELS: Record<RegionKeyOrigin, string> = {
  generated: '本平台生成（私钥加密保存）',
  registered: '登记的外部平台公钥',
};

/** 县级群渠道与公告 (R10) */
export const CHANNEL_KINDS = ['qq_group', 'wechat_group', 'wecom_group'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  qq_group: 'QQ群',
  wechat_group: '微信群',
  wecom_group: '企业微信群',
};

export const NOTICE_STATUSES = ['draft', 'submitted', 'approved', 'published', 'withdrawn'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

export const NOTICE_STATUS_LABELS: Record<NoticeStatus, string> = {
  draft: '草稿',
  submitted: '待审批',
  approved: '已批准',
  published: '已发布',
  withdrawn: '已撤回',
};

/** 公开 notices may go to the groups (family members are in them); 内部 ones stay on the platform's board. */
export const CONFIDENTIALITIES = ['public', 'internal'] as const;
export const CONFIDENTIALITY_LABELS: Record<(typeof CONFIDENTIALITIES)[number], string> = {
  public: '公开',
  internal: '内部',
};

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export const DELIVERY_STATUS_LABELS: Record<(typeof DELIVERY_STATUSES)[number], string> = {
  pending: '待发送',
  sent: '已送达',
  failed: '发送失败',
};

/** The marking words of classified documents (GB/T 7156 密级): any of them blocks publication. */
export const CLASSIFIED_MARKINGS = ['绝密', '机密', '秘密'] as const;

/** 消息提醒 (the bell) */
export const NOTIFICATION_KINDS = [
  'event_escalated',
  'petition_alert',
  'need_overdue',
  'notice_awaiting_approval',
  'notice_returned',
  'notice_published',
  'delivery_failed',
  'return_due',
  'return_review',
  'digest',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_KIND_LABELS: Record<NotificationKind, string> = {
  event_escalated: '重大情况逾期升级',
  petition_alert: '信访苗头预警',
  need_overdue: '诉求逾期',
  notice_awaiting_approval: '公告待审批',
  notice_returned: '公告被退回',
  notice_published: '公告已发布',
  delivery_failed: '群推送失败',
  return_due: '报表即将到期',
  return_review: '报表待审核',
  digest: '每日待办汇总',
};

export const NOTIFY_CHANNELS = ['in_app', 'wecom_app', 'sms'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];
export const NOTIFY_CHANNEL_LABELS: Record<NotifyChannel, string> = {
  in_app: '平台内消息',
  wecom_app: '企业微信应用消息',
  sms: '短信',
};
