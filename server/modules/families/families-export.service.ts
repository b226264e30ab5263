import {
  DEATH_CAUSE,
  DISABILITY_CATEGORY,
  FAMILY_STATUS,
  FAMILY_TYPE,
  HOUSEHOLD_STATUS,
} from '../../../common/code-lists.js';
import { maskIdNumber, maskOptional, type MaskAudience } from '../../../common/mask.js';
import { parseIdNumber } from '../../../common/validators/id-number.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { FamilyChildTable, FamilyMemberTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { writeXlsx, type XlsxColumn } from '../../platform/spreadsheets/index.js';
import * as repo from './families.repository.js';
import type { FamiliesService, FamilyListQuery } from './families.service.js';
import { SEX_LABEL } from './family-sheet.js';

/**
 * Above this the export is refused and the user asked to narrow it: writeXlsx takes every row at once and
 * keeps shared strings, so 50,000 rows cost about 300 MB and 15 s (100,000: 600 MB, 30 s).
 */
export const EXPORT_MAX_ROWS = 50_000;
const BATCH = 1_000;
const GRADES = ['', '一级', '二级', '三级', '四级'];

const COLUMNS: XlsxColumn[] = [
  { header: '档案编号', key: 'archiveNo', width: 22, text: true },
  { header: '家庭类别', key: 'familyType' },
  { header: '档案状态', key: 'status' },
  { header: '户籍村（居）', key: 'regionName', width: 24 },
  { header: '户籍村（居）区划代码', key: 'regionCode', width: 16 },
  { header: '详细地址', key: 'address', width: 30 },
  { header: '家庭结构', key: 'householdStatus' },
  { header: '是否特殊困难', key: 'isSpecialDifficulty' },
  { header: '建档日期', key: 'enteredAt', width: 12 },
  { header: '享受特别扶助', key: 'isEligible' },
  { header: '母亲姓名', key: 'motherName' },
  { header: '母亲身份证号', key: 'motherIdNumber', width: 22 },
  { header: '母亲电话', key: 'motherPhone', width: 16 },
  { header: '父亲姓名', key: 'fatherName' },
  { header: '父亲身份证号', key: 'fatherIdNumber', width: 22 },
  { header: '父亲电话', key: 'fatherPhone', width: 16 },
  { header: '子女姓名', key: 'childName' },
  { header: '子女性别', key: 'childSex' },
  { header: '子女出生日期', key: 'childBirthDate', width: 12 },
  { header: '子女死亡日期', key: 'childDeathDate', width: 12 },
  { header: '死亡原因', key: 'childDeathCause' },
  { header: '残疾等级', key: 'childDisabilityGrade' },
  { header: '残疾类别', key: 'childDisabilityCategory' },
];

const label = (codes: Readonly<Record<string, string>>, code: string | null | undefined) =>
  code ? (codes[code] ?? code) : null;

/** A search text that is (or contains) an ID or phone number never goes into the audit log as typed. */
export function redactQuery(q: string | undefined): string | undefined {
  if (!q) return q;
  const compact = q.replace(/[\s-]/g, '');
  if (parseIdNumber(q).ok || (!/^TS/i.test(compact) && /\d{7,}/.test(compact))) return '[redacted]';
  return q;
}

/** The list's filters as the audit row keeps them: codes in clear, the search text left out. */
function exportFilters(query: FamilyListQuery): Record<string, string | number | boolean | null> {
  const { q: _q, ...rest } = query as FamilyListQuery & { q?: string };
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | number | boolean | null
  >;
}

function exportRow(
  f: repo.FamilyRow,
  members: FamilyMemberTable[],
  child: FamilyChildTable | undefined,
  today: string,
  audience: MaskAudience,
): Record<string, unknown> {
  const mother = members.find((m) => m.relation === 'mother');
  const father = members.find((m) => m.relation === 'father');
  return {
    archiveNo: f.archive_no,
    familyType: label(FAMILY_TYPE, f.family_type),
    status: label(FAMILY_STATUS, f.status),
    regionName: f.region_name,
    regionCode: f.region_code,
    address: f.address,
    householdStatus: label(HOUSEHOLD_STATUS, f.household_status),
    isSpecialDifficulty: f.is_special_difficulty === 1 ? '是' : '否',
    enteredAt: f.entered_at,
    isEligible: f.eligible_from !== null && f.eligible_from <= today && f.status !== 'exited' ? '是' : '否',
    // The stored masks only, masked again by the one rule: the full values never leave through an export.
    motherName: mother?.name,
    motherIdNumber: mother && maskIdNumber(mother.id_number_mask),
    motherPhone: maskOptional('phone', mother?.phone_mask, audience),
    fatherName: father?.name,
    fatherIdNumber: father && maskIdNumber(father.id_number_mask),
    fatherPhone: maskOptional('phone', father?.phone_mask, audience),
    childName: child?.name,
    childSex: child ? SEX_LABEL[child.sex as 'male' | 'female'] : null,
    childBirthDate: maskOptional('birthDate', child?.birth_date, audience),
    childDeathDate: child?.death_date,
    childDeathCause: label(DEATH_CAUSE, child?.death_cause),
    childDisabilityGrade: child?.disability_grade ? GRADES[child.disability_grade] : null,
    childDisabilityCategory: label(DISABILITY_CATEGORY, child?.disability_category),
  };
}

/** The filtered family list as a masked xlsx (issue 3 part 8), read in keyset batches and audited. */
export function createFamiliesExportService(platform: Platform, families: Pick<FamiliesService, 'filtersFor'>) {
  // The rows from `reads` (the replica with DATABASE_READ_URL); the audit row on the primary.
  const { db, reads, clock, audit } = platform;

  return {
    async familiesXlsx(c: RequestContext, query: FamilyListQuery): Promise<{ buffer: Buffer; fileName: string }> {
      authorize(c.actor, 'family.export', query.regionCode);
      const filters = families.filtersFor(c.actor, query);
      const today = chinaDate(clock.now());
      const audience = { canReveal: can(c.actor, 'family.reveal') };
      const { total } = await repo.listFamilies(reads, filters, { page: 1, pageSize: 1 });
      if (total > EXPORT_MAX_ROWS)
        throw AppError.field(
          'regionCode',
          `导出结果超过 ${EXPORT_MAX_ROWS} 户，请缩小区域或增加筛选条件后再导出`,
          'EXPORT_TOO_LARGE',
        );

      const rows: Array<Record<string, unknown>> = [];
      for (let after = ''; rows.length < EXPORT_MAX_ROWS;) {
        const batch = await repo.listFamilyBatch(reads, filters, after, BATCH);
        if (batch.length === 0) break;
        const ids = batch.map((f) => f.id);
        const [members, children] = await Promise.all([repo.membersOf(reads, ids), repo.childrenOf(reads, ids)]);
        const membersOf = new Map<string, FamilyMemberTable[]>();
        for (const m of members) membersOf.set(m.family_id, [...(membersOf.get(m.family_id) ?? []), m]);
        const childOf = new Map(children.map((ch) => [ch.family_id, ch]));
        for (const f of batch) rows.push(exportRow(f, membersOf.get(f.id) ?? [], childOf.get(f.id), today, audience));
        after = batch[batch.length - 1].archive_no;
      }

      const buffer = await writeXlsx([{ name: '特殊家庭名单', columns: COLUMNS, rows, dropdownRows: 1 }]);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'family.export',
          targetType: 'family',
          changes: { ...exportFilters(query), rowCount: rows.length, hasQuery: Boolean(query.q) },
        }),
      );
      return { buffer, fileName: `特殊家庭名单-${today}.xlsx` };
    },
  };
}
export type FamiliesExportService = ReturnType<typeof createFamiliesExportService>;
