import { idNumberTailIndex } from '../../server/platform/crypto/sealed-fields.js';
import { maskIdNumber, maskPhone } from '../../common/mask.js';
import type { Post } from '../../common/schemas/contacts.js';
import { makeIdNumber } from '../../common/validators/id-number.js';
import { festivalsOfYear } from '../../common/festivals.js';
import { monthEnd } from '../../server/modules/compliance/family-months.repository.js';
import { specialAssistance, type AssistanceRate } from '../../server/modules/families/special-assistance.js';
import type { CryptoProvider } from '../../server/platform/crypto/crypto-provider.js';
import type {
  AssignmentTable,
  ContactLogTable,
  ContactTable,
  FamilyChildTable,
  FamilyMemberTable,
  FamilyTable,
  FestivalCampaignTable,
  FestivalCareTable,
  MajorEventTable,
  NeedTable,
  PetitionRiskTable,
} from '../../server/platform/db/schema.js';

/**
 * The synthetic province: a pure, deterministic function of (seed, families, years, asOf) over the real
 * region tree. Nothing here touches a database; seed.ts writes what this yields. Sensitive values go
 * through the real crypto provider exactly as families.service.ts and contacts.service.ts do (random IVs,
 * so ciphertexts differ between runs; every plaintext, blind index and mask is the same).
 */

export interface VillageRow {
  code: string;
  name: string;
  parent_code: string | null;
}

export interface ProvinceShape {
  families: number;
  years: number;
  seed: number;
  /** The instant the province is "as of": logs stop here, the current month is its China-time month. */
  asOf: Date;
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤',
];
const FEMALE = [
  '秀英',
  '桂英',
  '秀兰',
  '玉兰',
  '桂兰',
  '秀珍',
  '凤英',
  '玉珍',
  '玉英',
  '兰英',
  '秀芳',
  '桂芳',
  '丽华',
  '淑珍',
  '春兰',
  '翠兰',
  '冬梅',
  '红梅',
  '金凤',
  '桂香',
  '莲',
  '英',
  '芳',
  '琴',
];
const MALE = [
  '建国',
  '建华',
  '国强',
  '志强',
  '德明',
  '明华',
  '国华',
  '建军',
  '卫东',
  '文华',
  '永红',
  '国平',
  '德胜',
  '春生',
  '长青',
  '宏伟',
  '家福',
  '海林',
  '军',
  '平',
  '勇',
  '斌',
  '伟',
  '刚',
];
const CHILD = ['磊', '静', '超', '娟', '鹏', '丹', '浩', '婷', '杰', '敏', '亮', '晶', '俊', '燕', '涛', '霞'];
const HEALTH_NOTES = [
  '身体尚可',
  '血压偏高，按时服药',
  '腿脚不便，行动较慢',
  '近期感冒已好转',
  '糖尿病，病情稳定',
  '刚做完白内障手术，恢复良好',
  '睡眠不好，情绪低落',
];
const DEMANDS = [
  '希望协助办理住院护理补贴',
  '咨询特扶金发放时间',
  '希望安排健康体检',
  '希望联系养老机构',
  '房屋漏雨需维修',
];
const POLICIES = ['宣传特别扶助政策及就医绿色通道', '讲解长期护理保险', '告知住院护理补贴申请办法'];
const FOLLOW_UPS = ['下周电话回访', '协调村医上门测血压', '帮助联系民政办'];
const SELF_CARE = ['full', 'full', 'partial'];
const MENTAL = ['stable', 'stable', 'stable', 'fair', 'attention'];
const PROBLEMS = ['["medical"]', '["economic"]', '["elderly_care"]'];
const HELPER_POSTS: Post[] = ['association_member', 'family_doctor', 'volunteer'];

export type Rng = () => number;

function pick<T>(rnd: Rng, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A uniformly random day YYYY-MM-DD in [fromYear, toYear]. */
function dateBetween(rnd: Rng, fromYear: number, toYear: number): string {
  const y = fromYear + Math.floor(rnd() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(rnd() * 12);
  const d = 1 + Math.floor(rnd() * daysIn(y, m));
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A UUID v4 (the shape randomUUID gives the product's ids), from its own deterministic stream. */
export function uuidFrom(rnd: Rng): string {
  const a = Math.floor(rnd() * 4_294_967_296);
  const b = Math.floor(rnd() * 4_294_967_296);
  const c = Math.floor(rnd() * 4_294_967_296);
  const d = Math.floor(rnd() * 4_294_967_296);
  return (
    HEX[a >>> 24] +
    HEX[(a >>> 16) & 255] +
    HEX[(a >>> 8) & 255] +
    HEX[a & 255] +
    '-' +
    HEX[b >>> 24] +
    HEX[(b >>> 16) & 255] +
    '-4' +
    HEX[(b >>> 8) & 15].slice(1) +
    HEX[b & 255] +
    '-' +
    HEX[((c >>> 24) & 0x3f) | 0x80] +
    HEX[(c >>> 16) & 255] +
    '-' +
    HEX[(c >>> 8) & 255] +
    HEX[c & 255] +
    HEX[d >>> 24] +
    HEX[(d >>> 16) & 255] +
    HEX[(d >>> 8) & 255] +
    HEX[d & 255]
  );
}

export function chinaDateOf(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** `count` months ending with `last` (YYYY-MM), oldest first. */
export function monthsEndingAt(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/**
 * Where the families live: each village gets a log-normal weight (urban 社区 a bit heavier), so a few
 * villages hold dozens of families and most hold a handful, roughly like population.
 */
export function villageOfEachFamily(villages: VillageRow[], families: number, rnd: Rng): Int32Array {
  const cumulative = new Float64Array(villages.length);
  let total = 0;
  for (const [i, v] of villages.entries()) {
    // Box–Muller: a standard normal from two uniforms.
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    total += Math.exp(0.9 * z) * (v.name.includes('社区') ? 1.6 : 1);
    cumulative[i] = total;
  }
  const out = new Int32Array(families);
  for (let f = 0; f < families; f += 1) {
    const x = rnd() * total;
    let lo = 0;
    let hi = villages.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    out[f] = lo;
  }
  return out;
}

export interface ContactPlan {
  rows: ContactTable[];
  townshipCadres: Map<string, string[]>;
  villageCadre: Map<string, string>;
  helpers: Map<string, { id: string; post: Post }>;
  countyLeader: Map<string, string>;
}

/** Two township cadres per township, one cadre per village, a helper in a quarter of villages, a leader per county. */
export function planContacts(
  usedVillages: VillageRow[],
  rnd: Rng,
  ids: Rng,
  crypto: CryptoProvider,
  createdAt: string,
): ContactPlan {
  const rows: ContactTable[] = [];
  const phone = () => `1${pick(rnd, ['3', '5', '7', '8', '9'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
  const make = (post: Post, regionCode: string, organization: string, title: string) => {
    const id = uuidFrom(ids);
    const p = phone();
    rows.push({
      id,
      name: `${pick(rnd, SURNAMES)}${pick(rnd, rnd() < 0.5 ? MALE : FEMALE)}`,
      phone_enc: crypto.encrypt(p, `contacts:${id}:phone`),
      phone_idx: crypto.blindIndex('phone', p),
      phone_mask: maskPhone(p),
      post,
      region_code: regionCode,
      organization,
      title,
      user_id: null,
      is_active: 1,
      created_at: createdAt,
      updated_at: createdAt,
      version: 1,
    });
    return id;
  };
  const townships = [...new Set(usedVillages.map((v) => v.parent_code!))].sort();
  const counties = [...new Set(townships.map((t) => `${t.slice(0, 6)}000000`))].sort();
  const countyLeader = new Map(counties.map((c) => [c, make('county_leader', c, '县（市、区）卫生健康局', '副局长')]));
  const townshipCadres = new Map(
    townships.map((t) => [
      t,
      [make('township_cadre', t, '乡镇人民政府', '包村干部'), make('township_cadre', t, '乡镇人民政府', '计生专干')],
    ]),
  );
  const villageCadre = new Map<string, string>();
  const helpers = new Map<string, { id: string; post: Post }>();
  for (const v of [...usedVillages].sort((a, b) => a.code.localeCompare(b.code))) {
    villageCadre.set(v.code, make('village_cadre', v.code, '村（居）民委员会', '村委委员'));
    if (rnd() < 0.25) {
      const post = pick(rnd, HELPER_POSTS);
      helpers.set(v.code, {
        id: make(post, v.code, post === 'family_doctor' ? '村卫生室' : '村计生协', '帮扶人'),
        post,
      });
    }
  }
  return { rows, townshipCadres, villageCadre, helpers, countyLeader };
}

/** The festival campaigns (R6) whose window opened between the start of the log window and `asOf`. */
export function planCampaigns(months: string[], asOf: Date, ids: Rng): FestivalCampaignTable[] {
  const from = `${months[0]}-01`;
  const to = chinaDateOf(asOf);
  const out: FestivalCampaignTable[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1)
    for (const f of festivalsOfYear(year))
      if (f.windowFrom >= from && f.windowFrom <= to)
        out.push({
          id: uuidFrom(ids),
          year,
          festival: f.festival,
          festival_date: f.date,
          window_from: f.windowFrom,
          window_to: f.windowTo,
        });
  return out;
}

export interface FamilyBundle {
  family: FamilyTable;
  members: FamilyMemberTable[];
  child: FamilyChildTable;
  assignments: AssignmentTable[];
  logs: ContactLogTable[];
  events: MajorEventTable[];
  risks: PetitionRiskTable[];
  needs: NeedTable[];
  care: FestivalCareTable[];
}

export interface GeneratorContext {
  shape: ProvinceShape;
  rnd: Rng;
  ids: Rng;
  crypto: CryptoProvider;
  rates: AssistanceRate[];
  contacts: ContactPlan;
  /** Window of months with logs, oldest first; the last is the current month. */
  months: string[];
  usedIdNumbers: Set<string>;
  archiveSerials: Map<string, number>;
  /** Festival campaigns whose window opened inside the log window (R6). */
  campaigns: FestivalCampaignTable[];
  /**
   * Only the last this-many months get contact logs (the national seed: older months are facts only, written
   * by SQL); the rest of the shape (entry dates, statuses, responses, care) still spans every month.
   */
  logMonths?: number;
  /**
   * The national seed generates disjoint ranges of families in parallel (bench/lib/national-worker.ts): range
   * `part` of `parts` draws its ID numbers' sequence codes only from the slots k ≡ part (mod parts) of the 50
   * per sex, so no two ranges can make the same number and each range checks uniqueness in its own set.
   */
  sequenceSlots?: { part: number; parts: number };
}

/** One family with its members, child, 双岗 assignments and its contact logs over the window. */
export function makeFamily(ctx: GeneratorContext, village: VillageRow): FamilyBundle {
  const { rnd, ids, crypto, months } = ctx;
  const asOfDate = chinaDateOf(ctx.shape.asOf);
  const windowStart = `${months[0]}-01`;
  const id = uuidFrom(ids);
  const serial = (ctx.archiveSerials.get(village.code) ?? 0) + 1;
  ctx.archiveSerials.set(village.code, serial);
  const county6 = village.code.slice(0, 6);
  const isBereaved = rnd() < 0.6;
  const surname = pick(rnd, SURNAMES);

  // Most archives predate the window; about one in eight was opened during it.
  const enteredAt =
    rnd() < 0.88 ? dateBetween(rnd, 2016, Number(windowStart.slice(0, 4)) - 1) : pickDate(rnd, windowStart, asOfDate);
  const slots = ctx.sequenceSlots;
  const slotCount = slots ? Math.ceil((50 - slots.part) / slots.parts) : 50;
  const person = (sex: 'male' | 'female', fromYear: number, toYear: number, born?: string) => {
    for (let attempt = 0; ; attempt += 1) {
      if (attempt === 10_000) throw new Error(`no free ID-number sequence code in ${county6} born ${born}`);
      const birthDate = born ?? dateBetween(rnd, fromYear, toYear);
      // Sequence codes 900–999, the range the demo data marks as synthetic; odd for men, even for women.
      const slot = Math.floor(rnd() * slotCount);
      const sequence = 900 + 2 * (slots ? slots.part + slots.parts * slot : slot) + (sex === 'male' ? 1 : 0);
      const idNumber = makeIdNumber({ regionCode6: county6, birthDate, sequence });
      if (ctx.usedIdNumbers.has(idNumber)) continue;
      ctx.usedIdNumbers.add(idNumber);
      return { birthDate, idNumber };
    }
  };
  const phone = () => `1${pick(rnd, ['3', '5', '8'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
  const hasFather = rnd() < 0.85;
  const hasMother = !hasFather || rnd() < 0.9;
  const members: FamilyMemberTable[] = [];
  const addMember = (relation: 'father' | 'mother') => {
    const memberId = uuidFrom(ids);
    const sex = relation === 'father' ? 'male' : 'female';
    const p = relation === 'father' ? person('male', 1945, 1972) : person('female', 1948, 1975);
    const tel = relation === 'mother' || rnd() < 0.7 ? phone() : null;
    const deceased = relation === 'father' && rnd() < 0.05;
    members.push({
      id: memberId,
      family_id: id,
      position: members.length,
      relation,
      name: relation === 'father' ? `${surname}${pick(rnd, MALE)}` : `${pick(rnd, SURNAMES)}${pick(rnd, FEMALE)}`,
      id_number_enc: crypto.encrypt(p.idNumber, `family_members:${memberId}:id_number`),
      id_number_idx: crypto.blindIndex('id_number', p.idNumber),
      id_number_mask: maskIdNumber(p.idNumber),
      id_number_tail_idx: idNumberTailIndex(crypto, p.idNumber),
      sex,
      birth_date: p.birthDate,
      phone_enc: tel ? crypto.encrypt(tel, `family_members:${memberId}:phone`) : null,
      phone_idx: tel ? crypto.blindIndex('phone', tel) : null,
      phone_mask: tel ? maskPhone(tel) : null,
      ethnicity: rnd() < 0.95 ? '01' : '15',
      education: pick(rnd, ['70', '80', '80', '60', '90']),
      marital_status: '20',
      health: pick(rnd, ['healthy', 'chronic', 'chronic', 'serious', 'disabled']),
      self_care: pick(rnd, ['full', 'full', 'full', 'partial', 'none']),
      mental_state: pick(rnd, ['stable', 'stable', 'fair', 'attention']),
      pension_insurance: pick(rnd, ['resident', 'resident', 'employee']),
      medical_insurance: pick(rnd, ['resident', 'resident', 'employee']),
      is_deceased: deceased ? 1 : 0,
      death_date: deceased ? pickDate(rnd, '2018-01-01', enteredAt > '2018-01-01' ? enteredAt : '2019-01-01') : null,
      extra: null,
    });
  };
  if (hasMother) addMember('mother');
  if (hasFather) addMember('father');

  const childBirth = dateBetween(rnd, 1972, 2000);
  const childSex = rnd() < 0.6 ? 'male' : 'female';
  const childIdNumber = rnd() < 0.7 ? person(childSex, 1972, 2000, childBirth).idNumber : null;
  const deathDate = isBereaved ? pickDate(rnd, addDays(childBirth, 400), addDays(enteredAt, -30)) : null;
  const grade = isBereaved ? null : pick(rnd, [1, 2, 2, 3, 3, 3]);
  const cert = !isBereaved && childIdNumber ? `${childIdNumber}${pick(rnd, ['4', '5', '6', '1'])}${grade}` : null;
  const child: FamilyChildTable = {
    family_id: id,
    name: `${surname}${pick(rnd, CHILD)}`,
    relation: 'biological',
    sex: childSex,
    birth_date: childBirth,
    id_number_enc: childIdNumber ? crypto.encrypt(childIdNumber, `family_children:${id}:id_number`) : null,
    id_number_mask: childIdNumber ? maskIdNumber(childIdNumber) : null,
    death_date: deathDate,
    death_cause: isBereaved ? pick(rnd, ['illness', 'accident', 'traffic', 'illness', 'other']) : null,
    disability_cert_enc: cert ? crypto.encrypt(cert, `family_children:${id}:disability_cert`) : null,
    disability_cert_mask: cert ? `${maskIdNumber(cert.slice(0, 18))}${cert.slice(18)}` : null,
    disability_category: isBereaved ? null : pick(rnd, ['4', '5', '6', '1']),
    disability_grade: grade,
    is_recovered: isBereaved ? null : 0,
    extra: null,
  };

  // Mostly active; a few paused (working away) or exited during the window.
  const roll = rnd();
  const status = roll < 0.92 ? 'active' : roll < 0.96 ? 'paused' : 'exited';
  const statusDate =
    status === 'active' ? null : pickDate(rnd, enteredAt > windowStart ? enteredAt : windowStart, asOfDate);
  const statusReason =
    status === 'paused'
      ? 'away'
      : status === 'exited'
        ? pick(rnd, ['moved_out', 'both_parents_deceased', 'other'])
        : null;
  const created = `${enteredAt}T02:00:00.000Z`;
  const family: FamilyTable = {
    id,
    archive_no: `TS${village.code}${String(serial).padStart(4, '0')}`,
    family_type: isBereaved ? 'bereaved' : 'disabled',
    region_code: village.code,
    address: `${village.name}${1 + Math.floor(rnd() * 12)}组${1 + Math.floor(rnd() * 80)}号`,
    current_address: null,
    household_status: members.length === 2 ? 'both_alive' : 'widowed',
    living_situation: members.length === 2 ? 'together' : pick(rnd, ['alone', 'with_relatives', 'care_home']),
    economic_situation: pick(rnd, ['average', 'average', 'difficult', 'minimum_living']),
    annual_income: 6000 + Math.floor(rnd() * 40_000),
    housing_situation: pick(rnd, ['owned', 'owned', 'owned', 'rented', 'dangerous']),
    honor_certificate_no: null,
    is_special_difficulty: rnd() < 0.08 ? 1 : 0,
    status,
    status_reason: statusReason,
    status_date: statusDate,
    status_note: null,
    entered_at: enteredAt,
    eligible_from: null,
    extra: '{"synthetic":true}',
    created_at: created,
    updated_at: created,
    version: 1,
  };
  family.eligible_from = specialAssistance(
    {
      familyType: isBereaved ? 'bereaved' : 'disabled',
      status,
      statusReason,
      regionCode: village.code,
      members: members.map((m) => ({
        relation: m.relation as 'father' | 'mother',
        name: m.name,
        birthDate: m.birth_date,
        isDeceased: m.is_deceased === 1,
      })),
      child: { deathDate, disabilityGrade: grade, isRecovered: isBereaved ? null : false },
    },
    ctx.rates,
    asOfDate,
  ).eligibleFrom;

  // 双岗 for (nearly) every family; one in a hundred lacks its village post so the gap views have rows.
  const { contacts } = ctx;
  const township = village.parent_code!;
  const cadres = contacts.townshipCadres.get(township)!;
  const assignments: AssignmentTable[] = [];
  const assign = (contactId: string, post: Post, startedAt: string, endedAt: string | null = null) =>
    assignments.push({
      id: uuidFrom(ids),
      family_id: id,
      contact_id: contactId,
      post,
      started_at: startedAt,
      ended_at: endedAt,
      end_reason: endedAt ? '包村干部工作调动' : null,
      created_at: `${startedAt}T02:00:00.000Z`,
      created_by: 'bench-seed',
    });
  const townshipCadre = cadres[Math.floor(rnd() * cadres.length)];
  if (rnd() < 0.05) {
    // An earlier township cadre handed this family over (history kept).
    const handover = pickDate(rnd, enteredAt, asOfDate);
    assign(cadres.find((c) => c !== townshipCadre) ?? townshipCadre, 'township_cadre', enteredAt, handover);
    assign(townshipCadre, 'township_cadre', handover);
  } else assign(townshipCadre, 'township_cadre', enteredAt);
  const villageCadre = rnd() < 0.99 ? contacts.villageCadre.get(village.code)! : null;
  if (villageCadre) assign(villageCadre, 'village_cadre', enteredAt);
  const helperContact = contacts.helpers.get(village.code);
  const helper = helperContact && rnd() < 0.6 ? helperContact.id : null;
  if (helperContact && helper) assign(helper, helperContact.post, enteredAt);
  if (family.is_special_difficulty === 1 && rnd() < 0.85)
    assign(contacts.countyLeader.get(`${village.code.slice(0, 6)}000000`)!, 'county_leader', enteredAt);

  const logs =
    status === 'exited' && statusDate! < windowStart
      ? []
      : makeLogs(ctx, family, villageCadre ?? townshipCadre, townshipCadre, helper);
  return {
    family,
    members,
    child,
    assignments,
    logs,
    ...makeResponses(ctx, family, logs, villageCadre ?? townshipCadre),
  };
}

function pickDate(rnd: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (b <= a) return from;
  return new Date(a + Math.floor(rnd() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A home visit in about 85 % of the months the family counts (fewer so far in the current month), and
 * phone calls in about 70 % of months, one to three of them. Nothing after `asOf`.
 */
function makeLogs(
  ctx: GeneratorContext,
  family: FamilyTable,
  villageCadre: string,
  townshipCadre: string,
  helper: string | null,
): ContactLogTable[] {
  const { rnd, ids, months } = ctx;
  const asOfMs = ctx.shape.asOf.getTime();
  const asOfIso = ctx.shape.asOf.toISOString();
  const asOfDate = chinaDateOf(ctx.shape.asOf);
  const current = months[months.length - 1];
  const out: ContactLogTable[] = [];
  const enteredMonth = family.entered_at.slice(0, 7);
  const firstLogMonth = months[months.length - Math.min(months.length, ctx.logMonths ?? months.length)];
  const add = (mode: 'home_visit' | 'phone', contactId: string, y: number, m: number, day: number, month: string) => {
    const hour = 8 + Math.floor(rnd() * 10);
    let ms = Date.UTC(y, m - 1, day, hour - 8, Math.floor(rnd() * 60));
    let logMonth = month;
    if (ms > asOfMs) {
      ms = asOfMs - 60_000 * (1 + Math.floor(rnd() * 600));
      logMonth = chinaDateOf(new Date(ms)).slice(0, 7);
    }
    const createdMs = Math.min(ms + 3_600_000 * (1 + Math.floor(rnd() * 30)), asOfMs);
    const createdAt = createdMs === asOfMs ? asOfIso : new Date(createdMs).toISOString();
    const isVisit = mode === 'home_visit';
    out.push({
      id: uuidFrom(ids),
      family_id: family.id,
      contact_id: contactId,
      mode,
      direction: rnd() < 0.12 ? 'family_initiated' : 'outreach',
      occurred_at: new Date(ms).toISOString(),
      month: logMonth,
      participants: isVisit && rnd() < 0.3 ? '村医一同入户' : null,
      health: pick(rnd, HEALTH_NOTES),
      self_care: isVisit ? pick(rnd, SELF_CARE) : null,
      mental_state: pick(rnd, MENTAL),
      demands: rnd() < 0.15 ? pick(rnd, DEMANDS) : null,
      policies_explained: isVisit && rnd() < 0.3 ? pick(rnd, POLICIES) : null,
      problems_coordinated: rnd() < 0.08 ? pick(rnd, PROBLEMS) : null,
      follow_ups: rnd() < 0.1 ? pick(rnd, FOLLOW_UPS) : null,
      notes: isVisit && rnd() < 0.5 ? '入户走访，了解近况，老人情绪平稳' : null,
      is_on_behalf: rnd() < 0.3 ? 1 : 0,
      created_by: 'bench-seed',
      created_at: createdAt,
      updated_at: createdAt,
      version: 1,
    });
  };
  for (const month of months) {
    if (month < enteredMonth || month < firstLogMonth) continue;
    const counted = family.status === 'active' || (family.status_date !== null && family.status_date > monthEnd(month));
    if (!counted) continue;
    const y = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    const isCurrent = month === current;
    const days = daysIn(y, m);
    const lastDay = isCurrent ? Number(asOfDate.slice(8, 10)) : days;
    const firstDay = month === enteredMonth ? Number(family.entered_at.slice(8, 10)) : 1;
    if (firstDay > lastDay) continue;
    const span = lastDay - firstDay + 1;
    const share = span / days;
    if (rnd() < 0.85 * (isCurrent ? share : Math.min(1, share * 1.5))) {
      const r = rnd();
      const who = r < 0.65 ? villageCadre : r < 0.9 || !helper ? townshipCadre : helper;
      add('home_visit', who, y, m, firstDay + Math.floor(rnd() * span), month);
    }
    if (rnd() < 0.7 * share) {
      const calls = 1 + Math.floor(rnd() * 3);
      for (let k = 0; k < calls; k += 1)
        add('phone', rnd() < 0.6 ? villageCadre : townshipCadre, y, m, firstDay + Math.floor(rnd() * span), month);
    }
  }
  return out;
}

const EVENT_KINDS = ['serious_illness', 'serious_illness', 'accident', 'disaster'];
const SIGNALS = [
  '对特扶金发放有意见，情绪激动',
  '多次表示要到县里反映住院报销问题',
  '与外地失独家庭联络，表示要集体上访',
];
const NEED_TEXT: Array<[string, string, string]> = [
  ['medical', 'health', '希望减免住院自付费用'],
  ['elderly_care', 'civil_affairs', '申请入住乡镇敬老院'],
  ['economic', 'hrss', '子女生前社保退费'],
  ['housing', 'housing', '危房改造'],
  ['economic', 'civil_affairs', '申请临时救助'],
];
const CARE: Array<[string, number | null, string | null]> = [
  ['home_visit', null, null],
  ['money', 500, null],
  ['goods', null, '米、油、牛奶'],
  ['phone', null, null],
  ['group_activity', null, null],
];

function isoPlusHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}

/**
 * R5–R7 and R11 at a plausible rate: a major event for about 4 % of families over two years (a few
 * still open), a petition risk for about 1 % (a few open), a need for about 8 %, and festival care for
 * nine in ten counted families at each festival of the window (some declined). The home visits they
 * reference are the family's own logs.
 */
function makeResponses(
  ctx: GeneratorContext,
  family: FamilyTable,
  logs: ContactLogTable[],
  contactId: string,
): Pick<FamilyBundle, 'events' | 'risks' | 'needs' | 'care'> {
  const { rnd, ids } = ctx;
  const asOf = ctx.shape.asOf.toISOString();
  const years = ctx.months.length / 12;
  const visits = logs.filter((l) => l.mode === 'home_visit');
  const events: MajorEventTable[] = [];
  const risks: PetitionRiskTable[] = [];
  const needs: NeedTable[] = [];
  const care: FestivalCareTable[] = [];
  const recent = (iso: string, hours: number) => Date.parse(asOf) - Date.parse(iso) < hours * 3_600_000;
  if (visits.length && rnd() < 0.02 * years) {
    const visit = pick(rnd, visits);
    const occurred = isoPlusHours(visit.occurred_at, -6 - Math.floor(rnd() * 12));
    const open = recent(occurred, 72) || rnd() < 0.03;
    events.push({
      id: uuidFrom(ids),
      family_id: family.id,
      region_code: family.region_code,
      kind: pick(rnd, EVENT_KINDS),
      affected: null,
      affected_relation: pick(rnd, ['father', 'mother', 'family']),
      occurred_at: occurred,
      description: '突发情况，需及时上门',
      response_due_at: isoPlusHours(occurred, 24),
      status: open ? 'open' : 'closed',
      escalation_level: open && !recent(occurred, 24) ? 1 : 0,
      responded_at: open ? null : visit.occurred_at,
      response_log_id: open ? null : visit.id,
      follow_up: open ? null : '协调医保报销，联系家庭医生随访',
      closed_at: open ? null : isoPlusHours(visit.occurred_at, 72),
      death_confirmed_at: null,
      created_by: 'bench-seed',
      created_at: occurred,
      version: open ? 1 : 3,
    });
  }
  if (visits.length && rnd() < 0.005 * years) {
    const visit = pick(rnd, visits);
    const identified = isoPlusHours(visit.occurred_at, -20);
    const level = pick(rnd, ['blue', 'blue', 'yellow', 'orange', 'red']);
    const target = pick(rnd, ['county', 'county', 'county', 'prefecture', 'province', 'beijing']);
    const open = recent(identified, 24 * 30) && rnd() < 0.5;
    risks.push({
      id: uuidFrom(ids),
      family_id: family.id,
      region_code: family.region_code,
      target_level: target,
      scope: rnd() < 0.8 ? 'individual' : 'group',
      risk_level: level,
      signals: pick(rnd, SIGNALS),
      identified_at: identified,
      visit_due_at: isoPlusHours(identified, level === 'red' ? 12 : 24),
      visited_at: open ? null : visit.occurred_at,
      visit_log_id: open ? null : visit.id,
      review_date: null,
      status: open ? 'open' : 'resolved',
      resolved_at: open ? null : isoPlusHours(visit.occurred_at, 24 * 14),
      alerted_at: ['province', 'beijing'].includes(target) ? identified : null,
      created_by: 'bench-seed',
      created_at: identified,
      version: open ? 1 : 3,
    });
  }
  if (visits.length && rnd() < 0.04 * years) {
    const visit = pick(rnd, visits);
    const [category, department, description] = pick(rnd, NEED_TEXT);
    const deadline = isoPlusHours(visit.occurred_at, 24 * 30).slice(0, 10);
    const status = recent(visit.occurred_at, 24 * 60)
      ? pick(rnd, ['open', 'referred', 'in_progress'])
      : pick(rnd, ['resolved', 'resolved', 'resolved', 'unresolvable']);
    const closed = status === 'resolved' || status === 'unresolvable';
    needs.push({
      id: uuidFrom(ids),
      family_id: family.id,
      region_code: family.region_code,
      contact_log_id: visit.id,
      category,
      department,
      description,
      deadline,
      status,
      status_reason: status === 'unresolvable' ? '不符合政策规定' : null,
      resolution: status === 'resolved' ? '已办结' : null,
      confirmed_with_family_at: status === 'resolved' ? isoPlusHours(visit.occurred_at, 24 * 20) : null,
      closed_at: closed ? isoPlusHours(visit.occurred_at, 24 * 20) : null,
      created_by: 'bench-seed',
      created_at: visit.created_at,
      updated_at: closed ? isoPlusHours(visit.occurred_at, 24 * 20) : visit.created_at,
      version: closed ? 2 : 1,
    });
  }
  for (const c of ctx.campaigns) {
    if (family.entered_at > c.window_to) continue;
    if (family.status !== 'active' && (family.status_date ?? '') < c.window_from) continue;
    if (rnd() > 0.9) continue;
    const [manner, amount, goods] = rnd() < 0.04 ? (['declined', null, null] as const) : pick(rnd, CARE);
    const caredOn = pickDate(rnd, c.window_from, c.window_to < asOf.slice(0, 10) ? c.window_to : asOf.slice(0, 10));
    care.push({
      id: uuidFrom(ids),
      campaign_id: c.id,
      family_id: family.id,
      region_code: family.region_code,
      manner,
      amount,
      goods,
      cared_on: caredOn,
      contact_id: contactId,
      outside_window_reason: null,
      note: null,
      created_by: 'bench-seed',
      created_at: `${caredOn}T08:00:00.000Z`,
    });
  }
  return { events, risks, needs, care };
}
