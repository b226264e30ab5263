/**
 * The family roster as a spreadsheet: the import columns (Chinese headers ↔ FamilyCreate fields), the
 * downloadable template, and the mapping of one uploaded row to a FamilyCreate input or to errors that
 * name the column in Chinese. Pure: no database, no clock (callers pass the villages and today).
 *
 * Error messages never quote a cell: a cell may hold an ID number or a phone (DESIGN.md §6).
 */
import {
  DEATH_CAUSE,
  DISABILITY_CATEGORY,
  EDUCATION,
  ETHNICITY,
  FAMILY_TYPE,
  HOUSEHOLD_STATUS,
} from '../../../common/code-lists.js';
import { familyProblems, FamilyCreate } from '../../../common/schemas/families.js';
import { parseIdNumber } from '../../../common/validators/id-number.js';
import { FORMULA_MARKER, isFormulaCell, type XlsxColumn, type XlsxSheet } from '../../platform/spreadsheets/index.js';

type Codes = Readonly<Record<string, string>>;

export interface ImportColumn {
  key: ColumnKey;
  header: string;
  isRequired?: boolean;
  codes?: Codes;
  /** Dropdown values in the template when they are not the labels of `codes`. */
  list?: readonly string[];
  help: string;
}

const YES_NO = ['是', '否'] as const;
const SEX_LABELS = { male: '男', female: '女' } as const;
const GRADE_LABELS = ['一级', '二级', '三级', '四级'] as const;
export const EXAMPLE_MARK = '示例';
const DATE_HELP = '日期，如 2015-05-01（也可用 2015/5/1、2015年5月1日 或 Excel 日期单元格）';

function parentColumns(relation: 'mother' | 'father'): ImportColumn[] {
  const who = relation === 'mother' ? '母亲' : '父亲';
  const p = relation === 'mother' ? 'mother' : 'father';
  return [
    {
      key: `${p}Name`,
      header: `${who}姓名`,
      help: `${who}姓名，不超过 50 字。父亲、母亲至少填写一位；填写了姓名就须填写身份证号`,
    },
    {
      key: `${p}IdNumber`,
      header: `${who}身份证号`,
      help: '18 位公民身份号码，请设置为文本格式，以免 Excel 把号码变成科学计数法；性别和出生日期由号码得出',
    },
    { key: `${p}Phone`, header: `${who}电话`, help: '手机 11 位，或带区号的座机，如 027-12345678；可不填' },
    { key: `${p}Ethnicity`, header: `${who}民族`, codes: ETHNICITY, help: '从下拉列表选择，如 汉族；可不填' },
    { key: `${p}Education`, header: `${who}文化程度`, codes: EDUCATION, help: '从下拉列表选择；可不填' },
  ] as ImportColumn[];
}

export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  { key: 'serial', header: '序号', help: `可不填。填“${EXAMPLE_MARK}”的行是示例，导入时跳过` },
  {
    key: 'familyType',
    header: '家庭类别',
    isRequired: true,
    codes: FAMILY_TYPE,
    help: '必填：失独家庭 或 伤残家庭',
  },
  {
    key: 'regionCode',
    header: '户籍村（居）区划代码',
    isRequired: true,
    help: '必填：户籍所在村（居）委会的 12 位统计用区划代码，可从下拉列表选择；也可填写本乡镇（街道）内的村（居）委会全称',
  },
  { key: 'address', header: '详细地址', isRequired: true, help: '必填：户籍详细地址，不超过 200 字' },
  { key: 'householdStatus', header: '家庭结构', codes: HOUSEHOLD_STATUS, help: '从下拉列表选择；可不填' },
  { key: 'isSpecialDifficulty', header: '是否特殊困难', list: YES_NO, help: '是 或 否；不填视为 否' },
  { key: 'enteredAt', header: '建档日期', help: `${DATE_HELP}；不填为导入当天` },
  ...parentColumns('mother'),
  ...parentColumns('father'),
  { key: 'childName', header: '子女姓名', help: '独生子女姓名；可不填' },
  { key: 'childSex', header: '子女性别', isRequired: true, list: Object.values(SEX_LABELS), help: '必填：男 或 女' },
  { key: 'childBirthDate', header: '子女出生日期', isRequired: true, help: `必填：${DATE_HELP}` },
  { key: 'childDeathDate', header: '子女死亡日期', help: `失独家庭必填，伤残家庭不填：${DATE_HELP}` },
  { key: 'childDeathCause', header: '死亡原因', codes: DEATH_CAUSE, help: '失独家庭填写，从下拉列表选择；可不填' },
  {
    key: 'childDisabilityGrade',
    header: '残疾等级',
    list: GRADE_LABELS,
    help: '伤残家庭必填：一级 至 四级（也可填 1–4），失独家庭不填',
  },
  {
    key: 'childDisabilityCategory',
    header: '残疾类别',
    codes: DISABILITY_CATEGORY,
    help: '伤残家庭填写，从下拉列表选择；可不填',
  },
  {
    key: 'childDisabilityCertNo',
    header: '残疾人证号',
    help: '20 位：子女 18 位身份证号 + 残疾类别 1 位 + 残疾等级 1 位；可不填，填写时末位须与残疾等级一致',
  },
] as ImportColumn[];

export type ColumnKey =
  | 'serial'
  | 'familyType'
  | 'regionCode'
  | 'address'
  | 'householdStatus'
  | 'isSpecialDifficulty'
  | 'enteredAt'
  | `${'mother' | 'father'}${'Name' | 'IdNumber' | 'Phone' | 'Ethnicity' | 'Education'}`
  | 'childName'
  | 'childSex'
  | 'childBirthDate'
  | 'childDeathDate'
  | 'childDeathCause'
  | 'childDisabilityGrade'
  | 'childDisabilityCategory'
  | 'childDisabilityCertNo';

const HEADER_OF = new Map(IMPORT_COLUMNS.map((c) => [c.key, c.header]));
export function headerOf(key: ColumnKey): string {
  return HEADER_OF.get(key) ?? key;
}

/** Headers compare without spaces, asterisks and with full-width brackets: what people change by hand. */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[\s*＊]/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
}

export interface HeaderMap {
  index: Map<ColumnKey, number>;
  missing: string[];
}

/** Columns are found by header, in any order; columns we do not know are ignored. */
export function mapHeader(header: string[]): HeaderMap {
  const byName = new Map(IMPORT_COLUMNS.map((c) => [normalizeHeader(c.header), c.key]));
  const index = new Map<ColumnKey, number>();
  header.forEach((h, i) => {
    const key = byName.get(normalizeHeader(h));
    if (key && !index.has(key)) index.set(key, i);
  });
  const missing = IMPORT_COLUMNS.filter((c) => c.isRequired && !index.has(c.key)).map((c) => c.header);
  const hasParent = ['motherIdNumber', 'fatherIdNumber'].some((k) => index.has(k as ColumnKey));
  if (!hasParent) missing.push('母亲身份证号 或 父亲身份证号');
  return { index, missing };
}

export interface RowError {
  row: number;
  field: string;
  message: string;
}

export interface VillageIndex {
  /** Villages the importer may file into: code → name. */
  villages: Map<string, string>;
  /** Other in-scope regions (the township itself): a code of one is at the wrong level. */
  otherCodes: Set<string>;
}

export interface ParentId {
  key: ColumnKey;
  idNumber: string;
}

export type RowResult =
  | { kind: 'example' }
  | { kind: 'invalid'; errors: RowError[] }
  | { kind: 'valid'; input: FamilyCreate; parents: ParentId[] };

const ZOD_MESSAGES: Record<string, string> = {
  invalid_type: '缺少此项或格式不正确',
  too_big: '内容过长或数值过大',
  too_small: '内容过短或数值过小',
  invalid_format: '格式不正确',
  invalid_value: '取值不在允许范围内',
  invalid_union: '格式不正确',
  custom: '取值不正确',
};
const HAS_CJK = /[\u4e00-\u9fff]/;

function lookupCode(codes: Codes, value: string): string | undefined {
  const v = value.replace(/\s+/g, '');
  for (const [code, label] of Object.entries(codes)) {
    if (label === v || code === v || label === `${v}族` || label === `${v}家庭`) return code;
  }
  return undefined;
}

/** Accepts 2015-05-01, 2015/5/1, 2015.5.1, 2015年5月1日, 20150501 and Excel's 'YYYY-MM-DD HH:mm:ss'. */
export function normalizeDate(value: string): string {
  const v = value.replace(/\s+/g, ' ').trim();
  const m =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(v) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : v;
}

function parseGrade(value: string): number | null {
  const v = value.replace(/\s+/g, '').replace(/级$/, '');
  const i = ['一', '二', '三', '四'].indexOf(v);
  if (i >= 0) return i + 1;
  return /^\d+$/.test(v) ? Number(v) : null;
}

/**
 * One data row → a FamilyCreate that passed `FamilyCreate` and `familyProblems`, or its errors (at most
 * one per column, so a bad value is reported once). Rows marked 示例 are examples.
 */
export function parseRow(
  rowNumber: number,
  cells: (string | null)[],
  index: Map<ColumnKey, number>,
  regions: VillageIndex,
  today: string,
): RowResult {
  const errors = new Map<string, string>();
  const fail = (key: ColumnKey | string, message: string) => {
    const field = HEADER_OF.get(key as ColumnKey) ?? key;
    if (!errors.has(field)) errors.set(field, message);
  };
  const raw = (key: ColumnKey): string | null => {
    const i = index.get(key);
    return i === undefined ? null : (cells[i] ?? null);
  };
  const cell = (key: ColumnKey): string | undefined => {
    const v = raw(key);
    if (v === null || isFormulaLike(v, key)) return undefined;
    return v;
  };

  const isExample = (['serial', 'motherName', 'fatherName'] as const).some((k) =>
    raw(k)
      ?.replace(/^[\s【[（(]+/, '')
      .startsWith(EXAMPLE_MARK),
  );
  if (isExample) return { kind: 'example' };

  for (const c of IMPORT_COLUMNS) {
    const v = raw(c.key);
    if (isFormulaCell(v)) fail(c.key, '单元格含公式，请改为直接填写内容');
    else if (isFormulaLike(v, c.key)) fail(c.key, '单元格含公式（以 = + - @ 开头），请删去开头的符号');
  }

  const coded = (key: ColumnKey, codes: Codes): string | undefined => {
    const v = cell(key);
    if (v === undefined) return undefined;
    const code = lookupCode(codes, v);
    if (code === undefined) fail(key, `${headerOf(key)}不在可选范围内，请从下拉列表中选择`);
    return code;
  };
  const required = (key: ColumnKey): string | undefined => {
    const v = cell(key);
    if (v === undefined) fail(key, `请填写${headerOf(key)}`);
    return v;
  };
  const date = (key: ColumnKey): string | undefined => {
    const v = cell(key);
    return v === undefined ? undefined : normalizeDate(v);
  };

  const familyTypeText = required('familyType');
  const familyType = familyTypeText === undefined ? undefined : coded('familyType', FAMILY_TYPE);
  const regionCode = villageCode(cell('regionCode'), regions, (m) => fail('regionCode', m));
  const address = required('address');

  const special = cell('isSpecialDifficulty');
  let isSpecialDifficulty: boolean | undefined;
  if (special !== undefined) {
    if (special === '是' || special === '否') isSpecialDifficulty = special === '是';
    else fail('isSpecialDifficulty', '是否特殊困难应填写“是”或“否”');
  }

  const parentKeys: Array<{ relation: 'mother' | 'father'; p: 'mother' | 'father' }> = [
    { relation: 'mother', p: 'mother' },
    { relation: 'father', p: 'father' },
  ];
  const members: Array<Record<string, unknown>> = [];
  const positions: Array<'mother' | 'father'> = [];
  for (const { relation, p } of parentKeys) {
    const name = cell(`${p}Name`);
    const idNumber = cell(`${p}IdNumber`);
    // A parent is on the row when a name, an ID number or a phone is; an ethnicity or education left
    // alone (copied down with the dropdowns) does not make a missing parent, whose errors would then be
    // reported beside the real member's.
    const phone = cell(`${p}Phone`);
    const blocked = [`${p}Name` as const, `${p}IdNumber` as const].some((k) => isFormulaLike(raw(k), k));
    if (name === undefined && idNumber === undefined && phone === undefined && !blocked) continue;
    if (name === undefined) fail(`${p}Name`, `请填写${headerOf(`${p}Name`)}`);
    if (idNumber === undefined) fail(`${p}IdNumber`, `请填写${headerOf(`${p}IdNumber`)}`);
    positions.push(relation);
    members.push({
      relation,
      name: name ?? '',
      idNumber: idNumber ?? '',
      phone: cell(`${p}Phone`),
      ethnicity: coded(`${p}Ethnicity`, ETHNICITY),
      education: coded(`${p}Education`, EDUCATION),
    });
  }
  if (members.length === 0) fail('motherName', '父亲、母亲至少填写一位（姓名和身份证号）');

  const sexText = required('childSex');
  let sex: string | undefined;
  if (sexText !== undefined) {
    sex = sexText === '男' ? 'male' : sexText === '女' ? 'female' : undefined;
    if (!sex) fail('childSex', '子女性别应填写“男”或“女”');
  }
  const gradeText = cell('childDisabilityGrade');
  let disabilityGrade: number | undefined;
  if (gradeText !== undefined) {
    const g = parseGrade(gradeText);
    if (g === null || g < 1 || g > 4) fail('childDisabilityGrade', '残疾等级应为一级至四级');
    else disabilityGrade = g;
  }
  required('childBirthDate');

  const candidate = {
    familyType,
    regionCode,
    address,
    householdStatus: coded('householdStatus', HOUSEHOLD_STATUS),
    isSpecialDifficulty,
    enteredAt: date('enteredAt'),
    members,
    child: {
      name: cell('childName'),
      sex,
      birthDate: date('childBirthDate'),
      deathDate: date('childDeathDate'),
      deathCause: coded('childDeathCause', DEATH_CAUSE),
      disabilityGrade,
      disabilityCategory: coded('childDisabilityCategory', DISABILITY_CATEGORY),
      disabilityCertNo: cell('childDisabilityCertNo'),
    },
  };

  const columnOf = (path: PropertyKey[]) => columnForPath(path.map(String), positions);

  const parsed = FamilyCreate.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const message = HAS_CJK.test(issue.message) ? issue.message : (ZOD_MESSAGES[issue.code] ?? '取值不正确');
      fail(columnOf(issue.path), message);
    }
  }
  if (errors.size || !parsed.success) return { kind: 'invalid', errors: rowErrors(rowNumber, errors) };

  for (const problem of familyProblems(parsed.data, today)) fail(columnOf(problem.path.split('.')), problem.message);
  if (errors.size) return { kind: 'invalid', errors: rowErrors(rowNumber, errors) };

  return {
    kind: 'valid',
    input: parsed.data,
    parents: parsed.data.members.map((m, i) => ({ key: `${positions[i]}IdNumber` as ColumnKey, idNumber: m.idNumber })),
  };
}

const CHILD_COLUMNS: Record<string, ColumnKey> = {
  name: 'childName',
  sex: 'childSex',
  birthDate: 'childBirthDate',
  deathDate: 'childDeathDate',
  deathCause: 'childDeathCause',
  disabilityGrade: 'childDisabilityGrade',
  disabilityCategory: 'childDisabilityCategory',
  disabilityCertNo: 'childDisabilityCertNo',
};

/**
 * The column of a FamilyCreate path ('members.1.idNumber', 'child.deathDate'), given which parent sits at
 * each position. A parent's sex and birth date come from the ID number, so they point at its column.
 */
export function columnForPath(path: string[], positions: Array<'mother' | 'father'>): ColumnKey {
  const [head, i, leaf] = path;
  if (head === 'members') {
    const p = positions[Number(i)] ?? 'mother';
    if (i === undefined) return 'motherName';
    if (leaf === 'name') return `${p}Name`;
    if (leaf === 'phone') return `${p}Phone`;
    if (leaf === 'ethnicity') return `${p}Ethnicity`;
    if (leaf === 'education') return `${p}Education`;
    return `${p}IdNumber`;
  }
  if (head === 'child') return CHILD_COLUMNS[i ?? ''] ?? 'childBirthDate';
  return HEADER_OF.has(head as ColumnKey) ? (head as ColumnKey) : 'familyType';
}

/** The parents' ID numbers of a row that are valid on their own, whatever else is wrong with the row. */
export function rowIdNumbers(cells: (string | null)[], index: Map<ColumnKey, number>): ParentId[] {
  const out: ParentId[] = [];
  for (const key of ['motherIdNumber', 'fatherIdNumber'] as const) {
    const i = index.get(key);
    const v = i === undefined ? null : cells[i];
    if (!v || isFormulaLike(v, key)) continue;
    const parsed = parseIdNumber(v);
    if (parsed.ok) out.push({ key, idNumber: parsed.value });
  }
  return out;
}

/**
 * A real formula, or text a spreadsheet would run as one (CSV injection: `=cmd|…`, `@SUM(…)`, `+…`, `-…`).
 * No value of the roster legitimately starts so, except a phone written `+86…`.
 */
function isFormulaLike(v: string | null, key: ColumnKey): boolean {
  if (v === null) return false;
  if (isFormulaCell(v)) return true;
  return (key.endsWith('Phone') ? /^[=＝@＠]/ : /^[=＝@＠+＋\-－]/).test(v);
}

function rowErrors(row: number, errors: Map<string, string>): RowError[] {
  return [...errors].map(([field, message]) => ({ row, field, message }));
}

/** A 12-digit code (the dropdown's 'code name' form too) or a village's full name within the township. */
function villageCode(value: string | undefined, regions: VillageIndex, fail: (m: string) => void): string | undefined {
  if (value === undefined) {
    fail('请填写户籍村（居）区划代码');
    return undefined;
  }
  const code = /^(\d{12})(?!\d)/.exec(value)?.[1];
  if (code) {
    if (regions.villages.has(code)) return code;
    fail(
      regions.otherCodes.has(code) ? '户籍地应选到村（居）委会一级' : '该村（居）不存在或不在本乡镇（街道）管辖范围内',
    );
    return undefined;
  }
  const name = value.replace(/\s+/g, '');
  const matches = [...regions.villages].filter(([, n]) => n === name).map(([c]) => c);
  if (matches.length === 1) return matches[0];
  fail(
    matches.length > 1
      ? '本乡镇（街道）有同名村（居），请填写 12 位区划代码'
      : '该村（居）不存在或不在本乡镇（街道）管辖范围内',
  );
  return undefined;
}

/** The cells of a row as they were uploaded, for the error workbook (a formula shown as its text). */
export function originalCells(cells: (string | null)[], maxChars: number): (string | null)[] {
  return cells.map((v) => {
    if (v === null) return null;
    const text = isFormulaCell(v) ? `=${v.slice(FORMULA_MARKER.length)}` : v;
    return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
  });
}

// ---------------------------------------------------------------------------------------------
// Template

/** Labels in list order; numeric codes sorted, as an object puts integer-like keys ('10') before '01'. */
const labels = (codes: Codes) => {
  const entries = Object.entries(codes);
  if (entries.every(([code]) => /^\d+$/.test(code))) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([, label]) => label);
};

export function templateSheets(villages: Array<{ code: string; name: string }>): XlsxSheet[] {
  const columns: XlsxColumn[] = IMPORT_COLUMNS.map((c) => {
    const list =
      c.key === 'regionCode' ? villages.map((v) => `${v.code} ${v.name}`) : (c.list ?? (c.codes && labels(c.codes)));
    return {
      header: c.header,
      key: c.key,
      ...(list && list.length ? { list } : {}),
      ...(c.key === 'regionCode' ? { width: 36, text: true } : {}),
      ...(/Date$|^enteredAt$/.test(c.key) ? { text: true } : {}),
    };
  });
  const village = villages[0] ? `${villages[0].code} ${villages[0].name}` : '420102002003 示例村';
  const examples: Array<Record<string, unknown>> = [
    {
      serial: EXAMPLE_MARK,
      familyType: '失独家庭',
      regionCode: village,
      address: '示例：保成路 8 号',
      householdStatus: '夫妻健在',
      isSpecialDifficulty: '否',
      enteredAt: '2020-01-01',
      motherName: '示例-王秀英',
      motherIdNumber: '（18 位身份证号码）',
      motherPhone: '（手机号）',
      motherEthnicity: '汉族',
      motherEducation: '初级中学',
      fatherName: '示例-李建国',
      fatherIdNumber: '（18 位身份证号码）',
      fatherEthnicity: '汉族',
      childName: '示例-李明',
      childSex: '男',
      childBirthDate: '1990-03-01',
      childDeathDate: '2015-05-01',
      childDeathCause: '疾病',
    },
    {
      serial: EXAMPLE_MARK,
      familyType: '伤残家庭',
      regionCode: village,
      address: '示例：新华村 3 组 12 号',
      isSpecialDifficulty: '是',
      motherName: '示例-陈桂兰',
      motherIdNumber: '（18 位身份证号码）',
      childName: '示例-赵芳',
      childSex: '女',
      childBirthDate: '1992-06-18',
      childDisabilityGrade: '二级',
      childDisabilityCategory: '肢体',
    },
  ];
  const help = [
    ...IMPORT_COLUMNS.map((c) => ({
      column: c.header,
      required: c.isRequired ? '必填' : '',
      help: c.help,
    })),
    { column: '', required: '', help: '' },
    { column: '【导入规则】', required: '', help: '一行一户；表头须保留，列的顺序可调整，多余的列会被忽略' },
    { column: '', required: '', help: `“序号”为“${EXAMPLE_MARK}”的行是填写示例，导入时自动跳过，可直接删除` },
    { column: '', required: '', help: '先“校验”，按错误清单改正后再“导入”；只要有一行有错，整个文件都不会导入' },
    {
      column: '',
      required: '',
      help: '父亲或母亲的身份证号已建档的行视为已导入，跳过不重复建档；同一文件可放心重复上传',
    },
    { column: '', required: '', help: '不要使用公式；单元格含公式的行会被拒绝' },
    { column: '', required: '', help: '支持 .xlsx 和 .csv（UTF-8 或 GBK 编码），文件不超过 10 MB、不超过 20000 行' },
  ];
  return [
    { name: '特殊家庭', columns, rows: examples },
    {
      name: '说明',
      columns: [
        { header: '列名', key: 'column', width: 24, text: false },
        { header: '是否必填', key: 'required', width: 10 },
        { header: '填写说明', key: 'help', width: 90 },
      ],
      rows: help,
    },
  ];
}

export const SEX_LABEL = SEX_LABELS;
