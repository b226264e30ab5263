/**
 * Code lists of the archive, kept as data (DESIGN.md R8). National standards where one exists; the
 * 22号 archive standard's own lists were not available, so the rest are our reconstruction
 * (reference/domain.md §4.2). A new version adds codes; stored codes are never reused.
 */
export const CODE_LIST_VERSION = '2026.1';

type Codes = Readonly<Record<string, string>>;

/** GB/T 2261.1 */
export const SEX: Codes = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };

/** GB/T 2261.2-2003 */
export const MARITAL_STATUS: Codes = {
  '10': '未婚',
  '20': '已婚',
  '21': '初婚',
  '22': '再婚',
  '23': '复婚',
  '30': '丧偶',
  '40': '离婚',
  '90': '未说明',
};

/** GB/T 3304-1991 */
export const ETHNICITY: Codes = {
  '01': '汉族',
  '02': '蒙古族',
  '03': '回族',
  '04': '藏族',
  '05': '维吾尔族',
  '06': '苗族',
  '07': '彝族',
  '08': '壮族',
  '09': '布依族',
  '10': '朝鲜族',
  '11': '满族',
  '12': '侗族',
  '13': '瑶族',
  '14': '白族',
  '15': '土家族',
  '16': '哈尼族',
  '17': '哈萨克族',
  '18': '傣族',
  '19': '黎族',
  '20': '傈僳族',
  '21': '佤族',
  '22': '畲族',
  '23': '高山族',
  '24': '拉祜族',
  '25': '水族',
  '26': '东乡族',
  '27': '纳西族',
  '28': '景颇族',
  '29': '柯尔克孜族',
  '30': '土族',
  '31': '达斡尔族',
  '32': '仫佬族',
  '33': '羌族',
  '34': '布朗族',
  '35': '撒拉族',
  '36': '毛南族',
  '37': '仡佬族',
  '38': '锡伯族',
  '39': '阿昌族',
  '40': '普米族',
  '41': '塔吉克族',
  '42': '怒族',
  '43': '乌孜别克族',
  '44': '俄罗斯族',
  '45': '鄂温克族',
  '46': '德昂族',
  '47': '保安族',
  '48': '裕固族',
  '49': '京族',
  '50': '塔塔尔族',
  '51': '独龙族',
  '52': '鄂伦春族',
  '53': '赫哲族',
  '54': '门巴族',
  '55': '珞巴族',
  '56': '基诺族',
  '97': '其他',
  '98': '外国血统中国籍人士',
};

/** GB/T 4658-2006, the top-level classes. */
export const EDUCATION: Codes = {
  '10': '研究生',
  '20': '大学本科',
  '30': '大学专科',
  '40': '中等职业教育',
  '60': '普通高级中学',
  '70': '初级中学',
  '80': '小学',
  '90': '其他',
};

export const HOUSEHOLD_STATUS: Codes = {
  both_alive: '夫妻健在',
  widowed: '单亲（丧偶）',
  divorced: '单亲（离异）',
  remarried: '再婚',
};
export const LIVING_SITUATION: Codes = {
  together: '夫妻同住',
  alone: '独居',
  with_relatives: '与其他亲属同住',
  care_home: '入住养老机构',
  other: '其他',
};
export const ECONOMIC_SITUATION: Codes = {
  average: '一般',
  difficult: '困难',
  minimum_living: '低保',
  extreme_poverty: '特困供养',
};
export const HOUSING_SITUATION: Codes = { owned: '自有住房', rented: '租住', none: '无房', dangerous: '危房' };
export const HEALTH: Codes = {
  healthy: '健康',
  chronic: '慢性病',
  serious: '大病',
  disabled: '残疾',
  incapacitated: '失能半失能',
};
export const SELF_CARE: Codes = { full: '自理', partial: '半自理', none: '不能自理' };
export const MENTAL_STATE: Codes = { stable: '稳定', fair: '一般', attention: '需关注', crisis: '危机' };
export const INSURANCE: Codes = { employee: '职工', resident: '城乡居民', none: '无' };
export const CHILD_RELATION: Codes = { biological: '亲生', adopted: '合法收养', de_facto_adopted: '事实收养' };
export const DEATH_CAUSE: Codes = {
  illness: '疾病',
  accident: '意外事故',
  traffic: '交通事故',
  suicide: '自杀',
  disaster: '灾害',
  other: '其他',
};
/** GB/T 26341-2010 categories as used on the 残疾人证. */
export const DISABILITY_CATEGORY: Codes = {
  '1': '视力',
  '2': '听力',
  '3': '言语',
  '4': '肢体',
  '5': '智力',
  '6': '精神',
  '7': '多重',
};
export const ASSISTANCE_ITEM: Codes = {
  special_assistance: '特别扶助金',
  provincial_top_up: '地方提标部分',
  one_off_relief: '一次性救助（慰问）金',
  hospital_care: '住院护理补贴（保险）',
  pension_contribution: '养老保险代缴',
  medical_insurance: '医疗保险资助',
  medical_relief: '医疗救助',
  minimum_living: '低保',
  extreme_poverty: '特困供养',
  temporary_relief: '临时救助',
  housing: '住房保障',
  festival: '节日慰问金或物资',
  insurance: '保险（意外、重疾）',
  other: '其他',
};
export const FUND_SOURCE: Codes = {
  central: '中央',
  provincial: '省级',
  municipal: '市级',
  county: '县级',
  other: '其他',
};
export const FAMILY_TYPE: Codes = { bereaved: '失独家庭', disabled: '伤残家庭' };
export const FAMILY_STATUS: Codes = { active: '在册', paused: '暂停', exited: '退出' };
export const STATUS_REASON: Codes = {
  reborn_or_adopted: '再生育或收养子女',
  both_parents_deceased: '夫妻双方均已亡故',
  moved_out: '迁出',
  recovered: '子女康复',
  away: '外出',
  resumed: '恢复在册',
  other: '其他',
};
export const MEMBER_RELATION: Codes = { father: '父亲', mother: '母亲' };

/** Every list by name: seeded into the code_lists table and served to forms. */
export const CODE_LISTS = {
  sex: SEX,
  maritalStatus: MARITAL_STATUS,
  ethnicity: ETHNICITY,
  education: EDUCATION,
  householdStatus: HOUSEHOLD_STATUS,
  livingSituation: LIVING_SITUATION,
  economicSituation: ECONOMIC_SITUATION,
  housingSituation: HOUSING_SITUATION,
  health: HEALTH,
  selfCare: SELF_CARE,
  mentalState: MENTAL_STATE,
  insurance: INSURANCE,
  childRelation: CHILD_RELATION,
  deathCause: DEATH_CAUSE,
  disabilityCategory: DISABILITY_CATEGORY,
  assistanceItem: ASSISTANCE_ITEM,
  fundSource: FUND_SOURCE,
  familyType: FAMILY_TYPE,
  familyStatus: FAMILY_STATUS,
  statusReason: STATUS_REASON,
  memberRelation: MEMBER_RELATION,
} as const;
export type CodeListName = keyof typeof CODE_LISTS;

export function codeKeys(list: Codes): [string, ...string[]] {
  return Object.keys(list) as [string, ...string[]];
}
