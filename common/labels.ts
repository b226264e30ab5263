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

/**
 * The 双岗 coverage gaps a family can fall in (R1, R2): no township post, no village post, or a
 * special-difficulty family without a county leader.
 */
export const COVERAGE_GAP_KINDS = ['missing_township', 'missing_village', 'special_without_leader'] as const;
export type CoverageGapKind = (typeof COVERAGE_GAP_KINDS)[number];

export const COVERAGE_GAP_KIND_LABELS: Record<CoverageGapKind, string> = {
  missing_township: '缺乡镇岗',
  missing_village: '缺村级岗',
  special_without_leader: '特殊困难家庭缺县级领导',
};

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

/** 生活自理 as a contact log records it (the labels are common/code-lists.ts SELF_CARE). */
export const SELF_CARE_LEVELS = ['full', 'partial', 'none'] as const;

/** 重大情况 (R5) */
export const EVENT_KINDS = ['accident', 'serious_illness', 'disaster', 'death'] as const;

export const EVENT_KIND_LABELS: Record<(typeof EVENT_KINDS)[number], string> = {
  accident: '意外',
  serious_illness: '重病',
  disaster: '受灾',
  death: '亡故',
};

/** open → responded (a home visit answered it) → closed (the follow-up written down). */
export const EVENT_STATUSES = ['open', 'responded', 'closed'] as const;

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

export const PETITION_SCOPES = ['individual', 'group'] as const;
export const PETITION_RISK_STATUSES = ['open', 'resolved'] as const;

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

/** A family's state in a festival campaign: not yet cared for, cared for, or declined. */
export const CARE_STATUSES = ['not_cared', 'cared', 'declined'] as const;
export type CareStatus = (typeof CARE_STATUSES)[number];

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

/**
 * 审计日志: every audited action, its Chinese name and its category (the auditor filters by category).
 * A new audited action adds one line here; `AuditLog.record` accepts no other action (the type is this key set).
 */
export const AUDIT_CATEGORIES = [
  'auth',
  'account',
  'security',
  'family',
  'work',
  'petition',
  'export',
  'audit',
] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

export const AUDIT_CATEGORY_LABELS: Record<AuditCategory, string> = {
  auth: '登录与会话',
  account: '账户管理',
  security: '安全事件',
  family: '档案',
  work: '联系与服务',
  petition: '信访',
  export: '导出与查看',
  audit: '审计',
};

export const AUDIT_ACTIONS = {
  'auth.login': { label: '登录', category: 'auth' },
  'auth.logout': { label: '退出登录', category: 'auth' },
  'auth.lockout': { label: '账户锁定', category: 'auth' },
  'auth.password_change': { label: '修改密码', category: 'auth' },
  'user.create': { label: '创建账户', category: 'account' },
  'user.update': { label: '修改账户', category: 'account' },
  'user.unlock': { label: '解锁账户', category: 'account' },
  'user.approve': { label: '批准账户变更', category: 'account' },
  'user.reject': { label: '驳回账户变更', category: 'account' },
  'user.mfa_reset': { label: '重置动态验证码', category: 'account' },
  'user.reset': { label: '命令行重置账户', category: 'account' },
  'auth.throttle': { label: '登录限流', category: 'auth' },
  'auth.password_step': { label: '登录第一步（密码）', category: 'auth' },
  'auth.mfa_verify': { label: '动态验证码校验', category: 'auth' },
  'auth.mfa_enrol_start': { label: '开始绑定动态验证码', category: 'auth' },
  'auth.mfa_enrol': { label: '绑定动态验证码', category: 'auth' },
  'security.not_found': { label: '越权访问（范围外）', category: 'security' },
  'security.forbidden': { label: '越权操作（角色无权）', category: 'security' },
  'security.csrf_rejected': { label: '请求校验失败（CSRF）', category: 'security' },
  'security.throttled': { label: '操作过频被限制', category: 'security' },
  'security.locked_out': { label: '锁定期间尝试登录', category: 'security' },
  'family.create': { label: '建档', category: 'family' },
  'family.update': { label: '修改档案', category: 'family' },
  'family.status': { label: '变更档案状态', category: 'family' },
  'family.death': { label: '登记成员亡故', category: 'family' },
  'family.assistance': { label: '登记扶助', category: 'family' },
  'family.reveal': { label: '查看完整号码', category: 'export' },
  'reveal_request.create': { label: '申请超限查看完整号码', category: 'export' },
  'reveal_request.approve': { label: '批准超限查看完整号码', category: 'export' },
  'reveal_request.reject': { label: '驳回超限查看完整号码', category: 'export' },
  'family.export': { label: '导出家庭名单', category: 'export' },
  'family.import': { label: '导入档案', category: 'family' },
  'family.import.errors': { label: '下载导入错误表', category: 'export' },
  'family.contact_card': { label: '打印联系卡', category: 'export' },
  'family.contact_cards': { label: '批量打印联系卡', category: 'export' },
  'contact.create': { label: '登记联系人', category: 'work' },
  'contact.update': { label: '修改联系人', category: 'work' },
  'contact.handover': { label: '联系人工作交接', category: 'work' },
  'assignment.set': { label: '设置双岗联系人', category: 'work' },
  'assignment.bulk_set': { label: '批量安排双岗', category: 'work' },
  'supervision_order.create': { label: '发出督办', category: 'work' },
  'supervision_order.reply': { label: '答复督办', category: 'work' },
  'ranking.export': { label: '导出通报排名', category: 'export' },
  'accountability.open': { label: '启动问责核查', category: 'petition' },
  'accountability.read': { label: '查看问责核查', category: 'petition' },
  'accountability.conclude': { label: '问责核查结论', category: 'petition' },
  'commendation.list': { label: '创建表彰名单', category: 'work' },
  'commendation.nominate': { label: '提名表彰', category: 'work' },
  'commendation.withdraw': { label: '撤回表彰提名', category: 'work' },
  'commendation.submit': { label: '报送表彰名单', category: 'work' },
  'commendation.approve': { label: '审批表彰名单', category: 'work' },
  'commendation.publish': { label: '通报表彰', category: 'work' },
  'assessment.create': { label: '新建考核方案', category: 'work' },
  'assessment.update': { label: '修改考核方案', category: 'work' },
  'assessment.publish': { label: '发布考核结果', category: 'work' },
  'assessment.export': { label: '导出考核结果', category: 'export' },
  'contactLog.create': { label: '登记联系记录', category: 'work' },
  'contactLog.update': { label: '修改联系记录', category: 'work' },
  'event.report': { label: '报告重大情况', category: 'work' },
  'event.respond': { label: '响应重大情况', category: 'work' },
  'event.escalate': { label: '重大情况逾期升级', category: 'work' },
  'event.close': { label: '办结重大情况', category: 'work' },
  'festival.care': { label: '登记节日慰问', category: 'work' },
  'need.create': { label: '登记诉求', category: 'work' },
  'need.update': { label: '办理诉求', category: 'work' },
  'meeting.create': { label: '登记联席会议', category: 'work' },
  'petition.read': { label: '查看信访信息', category: 'petition' },
  'petition.risk': { label: '登记信访苗头', category: 'petition' },
  'petition.alert': { label: '信访预警', category: 'petition' },
  'petition.handle': { label: '处置信访苗头', category: 'petition' },
  'petition.event': { label: '登记信访事件', category: 'petition' },
  'petition.visit': { label: '信访苗头登门', category: 'petition' },
  'compliance.overdue.export': { label: '导出走访逾期名单', category: 'export' },
  'audit.export': { label: '导出审计日志', category: 'audit' },
  'liaison.create': { label: '登记联络员', category: 'work' },
  'liaison.update': { label: '修改联络员', category: 'work' },
  'liaison.programme': { label: '联络员补助标准', category: 'work' },
  'liaison.report': { label: '联络员工作记录', category: 'work' },
  'liaison.subsidy': { label: '发放联络员补助', category: 'work' },
  'liaison.subsidy.export': { label: '导出联络员补助', category: 'export' },
  'staffing.set': { label: '县级工作力量配备', category: 'work' },
  'partner.create': { label: '登记结对组织', category: 'work' },
  'pairing.create': { label: '结对帮扶', category: 'work' },
  'pairing.activity': { label: '结对帮扶活动', category: 'work' },
  'pairing.end': { label: '结束结对帮扶', category: 'work' },
  'training.create': { label: '登记培训', category: 'work' },
  'training.attendance': { label: '培训签到', category: 'work' },
  'training.attendance_import': { label: '导入培训签到', category: 'work' },
  'medical.family_doctor': { label: '家庭医生签约', category: 'work' },
  'medical.priority_access': { label: '就医绿色通道', category: 'work' },
  'medical.family_doctor.end': { label: '结束家庭医生签约', category: 'work' },
  'medical.priority_access.end': { label: '结束就医绿色通道', category: 'work' },
  'duplicate_archive.flag': { label: '发现跨区重复建档', category: 'family' },
  'duplicate_archive.resolve': { label: '处理跨区重复建档', category: 'family' },
  'region_key.generate': { label: '生成本级 SM2 密钥', category: 'security' },
  'region_key.register': { label: '登记上下级 SM2 公钥', category: 'security' },
  'stat_return.package_import': { label: '导入报表数据包', category: 'work' },
  'stat_return.package_export': { label: '导出报表数据包', category: 'export' },
  'stat_return.xlsx_export': { label: '导出统计报表', category: 'export' },
  'statReturn.create': { label: '创建统计报表', category: 'work' },
  'statReturn.created': { label: '生成统计报表', category: 'work' },
  'statReturn.updated': { label: '修改统计报表', category: 'work' },
  'statReturn.submitted': { label: '上报统计报表', category: 'work' },
  'statReturn.imported': { label: '接收下级报表包作为上报', category: 'work' },
  'statReturn.approved': { label: '审核通过统计报表', category: 'work' },
  'statReturn.returned': { label: '退回统计报表', category: 'work' },
  'statReturn.reopened': { label: '重新打开统计报表', category: 'work' },
  'security.reveal_rate_exceeded': { label: '查看完整号码超限', category: 'security' },
  'security.reveal_burst': { label: '短时大量查看完整号码', category: 'security' },
  'channel.create': { label: '登记县级工作群', category: 'work' },
  'channel.update': { label: '修改县级工作群', category: 'work' },
  'notice.create': { label: '起草通知', category: 'work' },
  'notice.edit': { label: '修改通知', category: 'work' },
  'notice.attach': { label: '添加通知附件', category: 'work' },
  'notice.detach': { label: '删除通知附件', category: 'work' },
  'notice.submit': { label: '提交通知审批', category: 'work' },
  'notice.approve': { label: '批准通知', category: 'work' },
  'notice.return': { label: '退回通知', category: 'work' },
  'notice.publish': { label: '发布通知', category: 'work' },
  'notice.posted': { label: '通知已推送', category: 'work' },
  'notice.withdraw': { label: '撤回通知', category: 'work' },
  'notification.prefs': { label: '修改提醒设置', category: 'account' },
  'sampleSurvey.draw': { label: '抽取抽样调查样本', category: 'work' },
  'sampleSurvey.read': { label: '查看抽样调查样本', category: 'export' },
  'sampleSurvey.assign': { label: '分派抽样调查员', category: 'work' },
  'sampleSurvey.attempt': { label: '抽样调查联系尝试', category: 'work' },
  'sampleSurvey.response': { label: '登记抽样调查答卷', category: 'work' },
  'sampleSurvey.phone_reveal': { label: '调查员查看家庭电话', category: 'export' },
  'surveyDiscrepancy.explain': { label: '说明抽样调查差异', category: 'work' },
  'backup.create': { label: '数据库备份', category: 'security' },
  'backup.drill': { label: '恢复演练', category: 'security' },
  'county_copy.export': { label: '下载县级电子备份', category: 'export' },
  key_rotation: { label: '轮换主密钥', category: 'security' },
} as const satisfies Record<string, { label: string; category: AuditCategory }>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** What a `security.*` row counts: denials and abuse, aggregated per actor or source and minute. */
export const SECURITY_EVENT_KINDS = ['not_found', 'forbidden', 'csrf_rejected', 'throttled', 'locked_out'] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

export const AUDIT_OUTCOME_LABELS: Record<'success' | 'failure' | 'denied', string> = {
  success: '成功',
  failure: '失败',
  denied: '拒绝',
};

export const AUDIT_TARGET_LABELS: Record<string, string> = {
  family: '档案',
  user: '账户',
  contact: '联系人',
  region: '区划',
  family_import: '导入任务',
  sample_survey: '抽样调查',
  route: '接口',
};

/** A cross-region duplicate archive (issue 10 item 2): pending until the supervising level resolves it. */
/** Issue 10 item 16: a request to see one full value beyond the hourly limit (`expired`: approved, not used in time). */
export const REVEAL_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'used', 'expired'] as const;
export type RevealRequestStatus = (typeof REVEAL_REQUEST_STATUSES)[number];
export const REVEAL_REQUEST_STATUS_LABELS: Record<RevealRequestStatus, string> = {
  pending: '待审批',
  approved: '已批准，待查看',
  rejected: '已驳回',
  used: '已查看',
  expired: '已过期',
};

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
  'supervision_order',
  'supervision_reply',
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
  supervision_order: '上级督办',
  supervision_reply: '督办已答复',
  digest: '每日待办汇总',
};

export const NOTIFY_CHANNELS = ['in_app', 'wecom_app', 'sms'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];
export const NOTIFY_CHANNEL_LABELS: Record<NotifyChannel, string> = {
  in_app: '平台内消息',
  wecom_app: '企业微信应用消息',
  sms: '短信',
};

/* 抽样调查 (R16): the sampled family's state, the call outcomes and the answers of the phone form. */
export const SURVEY_FAMILY_STATUSES = ['pending', 'reached', 'refused', 'unreachable'] as const;
export type SurveyFamilyStatus = (typeof SURVEY_FAMILY_STATUSES)[number];
export const SURVEY_FAMILY_STATUS_LABELS: Record<SurveyFamilyStatus, string> = {
  pending: '待访问',
  reached: '已访问',
  refused: '拒访',
  unreachable: '无法联系',
};
export const SURVEY_ATTEMPT_OUTCOMES = ['reached', 'no_answer', 'refused', 'wrong_number'] as const;
export type SurveyAttemptOutcome = (typeof SURVEY_ATTEMPT_OUTCOMES)[number];
export const SURVEY_ATTEMPT_OUTCOME_LABELS: Record<SurveyAttemptOutcome, string> = {
  reached: '已接通',
  no_answer: '无人接听',
  refused: '拒绝受访',
  wrong_number: '号码错误',
};
/** No-answer attempts after which a family counts as unreachable. */
export const SURVEY_MAX_ATTEMPTS = 3;
export const SURVEY_MODES = ['phone', 'visit'] as const;
export const SURVEY_MODE_LABELS: Record<(typeof SURVEY_MODES)[number], string> = { phone: '电话', visit: '入户' };
export const KNOWS_CONTACTS = ['both', 'one', 'none'] as const;
export const KNOWS_CONTACTS_LABELS: Record<(typeof KNOWS_CONTACTS)[number], string> = {
  both: '乡镇和村两级联系人都认识',
  one: '只认识其中一位',
  none: '都不认识',
};
export const LAST_HOME_VISITS = ['this_month', '1_3_months', 'longer', 'never'] as const;
export const LAST_HOME_VISIT_LABELS: Record<(typeof LAST_HOME_VISITS)[number], string> = {
  this_month: '本月',
  '1_3_months': '1～3 个月前',
  longer: '3 个月以前',
  never: '从未登门',
};
export const SURVEY_CONTACT_MODES = ['home_visit', 'phone', 'online', 'none'] as const;
export const SURVEY_CONTACT_MODE_LABELS: Record<(typeof SURVEY_CONTACT_MODES)[number], string> = {
  home_visit: '登门走访',
  phone: '电话',
  online: '微信等网络',
  none: '近三个月没有联系',
};
export const DISCREPANCY_CODES = [
  'VISIT_DENIED',
  'VISIT_UNRECORDED',
  'NEVER_VISITED_CONTRADICTED',
  'CONTACTS_UNKNOWN',
  'FESTIVAL_CARE_DENIED',
  'NEEDS_RESOLUTION_DISPUTED',
] as const;
export type DiscrepancyCode = (typeof DISCREPANCY_CODES)[number];
export const DISCREPANCY_CODE_LABELS: Record<DiscrepancyCode, string> = {
  VISIT_DENIED: '走访记录与家庭回答不符',
  VISIT_UNRECORDED: '登门走访未登记',
  NEVER_VISITED_CONTRADICTED: '家庭称从未登门',
  CONTACTS_UNKNOWN: '家庭不认识联系人',
  FESTIVAL_CARE_DENIED: '节日慰问与家庭回答不符',
  NEEDS_RESOLUTION_DISPUTED: '诉求办结与家庭回答不符',
};
export const DISCREPANCY_STATUSES = ['open', 'explained'] as const;
export const DISCREPANCY_STATUS_LABELS: Record<(typeof DISCREPANCY_STATUSES)[number], string> = {
  open: '待说明',
  explained: '已说明',
};
/** The survey's weighted indicators (R16), also what the assessment reads. */
export const SURVEY_INDICATORS = [
  'knows_contacts',
  'visit_confirmed',
  'festival_care',
  'needs_resolved',
  'satisfaction',
] as const;
export type SurveyIndicator = (typeof SURVEY_INDICATORS)[number];
export const SURVEY_INDICATOR_LABELS: Record<SurveyIndicator, string> = {
  knows_contacts: '认识两级联系人',
  visit_confirmed: '近三个月有人登门',
  festival_care: '上一节日收到慰问',
  needs_resolved: '所提诉求已解决',
  satisfaction: '满意度（1～5）',
};

/** 考核 (R16–R17): the survey figures an assessment scheme may score, beside the statistical-return indicators. */
export const ASSESSMENT_SURVEY_FIGURES = [
  'response_rate',
  'discrepancy_rate',
  'knows_contacts',
  'visit_confirmed',
  'festival_care',
  'needs_resolved',
  'satisfaction',
] as const;
export type AssessmentSurveyFigure = (typeof ASSESSMENT_SURVEY_FIGURES)[number];
export const ASSESSMENT_SURVEY_FIGURE_LABELS: Record<AssessmentSurveyFigure, string> = {
  response_rate: '抽样调查应答率',
  discrepancy_rate: '抽样调查回答与记录不符率',
  ...SURVEY_INDICATOR_LABELS,
};
export const ASSESSMENT_STATUSES = ['draft', 'published'] as const;
export const ASSESSMENT_STATUS_LABELS: Record<(typeof ASSESSMENT_STATUSES)[number], string> = {
  draft: '草稿（实时计算）',
  published: '已发布（已冻结）',
};

/** 问责 (R17): what opened a case, and the reviewer's finding. */
export const ACCOUNTABILITY_TRIGGERS = ['petition_event', 'manual'] as const;
export const ACCOUNTABILITY_TRIGGER_LABELS: Record<(typeof ACCOUNTABILITY_TRIGGERS)[number], string> = {
  petition_event: '省级及以上信访自动启动',
  manual: '人工启动',
};
export const ACCOUNTABILITY_STATUSES = ['open', 'concluded'] as const;
export const ACCOUNTABILITY_STATUS_LABELS: Record<(typeof ACCOUNTABILITY_STATUSES)[number], string> = {
  open: '核查中',
  concluded: '已办结',
};
export const ACCOUNTABILITY_FINDINGS = ['performed', 'failed'] as const;
export const ACCOUNTABILITY_FINDING_LABELS: Record<(typeof ACCOUNTABILITY_FINDINGS)[number], string> = {
  performed: '已履职',
  failed: '履职不到位',
};
/** Petition levels that open an accountability case at once: province level or beyond (R17). */
export const ACCOUNTABILITY_PETITION_LEVELS = ['province', 'out_of_province', 'beijing'] as const;

/** 表彰 (R17): a city's yearly list, nominated by city staff, approved by the province, then published. */
export const COMMENDATION_STATUSES = ['draft', 'submitted', 'approved', 'published'] as const;
export const COMMENDATION_STATUS_LABELS: Record<(typeof COMMENDATION_STATUSES)[number], string> = {
  draft: '提名中',
  submitted: '待审批',
  approved: '已审批',
  published: '已通报',
};

/** The kinds of due work `GET /todos` returns (server/modules/todos/todos.service.ts). */
export const TODO_KINDS = [
  'event_response',
  'petition_visit',
  'petition_alert',
  'visit_due',
  'festival_care',
  'need_overdue',
  'training_due',
  'stat_return_due',
  'stat_return_review',
  'reveal_request',
  'survey_call',
  'survey_discrepancy',
  'supervision_order',
  'accountability_case',
] as const;
export type TodoKind = (typeof TODO_KINDS)[number];
