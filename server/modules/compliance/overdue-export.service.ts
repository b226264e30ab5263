import { FAMILY_TYPE } from '../../../common/code-lists.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { writeXlsx, type XlsxColumn } from '../../platform/spreadsheets/index.js';
import type { ComplianceService } from './compliance.service.js';

export const OVERDUE_EXPORT_MAX_ROWS = 50_000;
const PAGE = 1_000;

const COLUMNS: XlsxColumn[] = [
  { header: '档案编号', key: 'archiveNo', width: 22, text: true },
  { header: '户籍村（居）', key: 'regionName', width: 24 },
  { header: '家庭类别', key: 'familyType' },
  { header: '父母姓名', key: 'parentNames', width: 20 },
  { header: '本月联系次数', key: 'contactsThisMonth', text: false },
  { header: '最近联系时间', key: 'lastContactAt', width: 18 },
  { header: '最近登门走访时间', key: 'lastHomeVisitAt', width: 18 },
  { header: '乡镇（街道）包村干部', key: 'townshipName' },
  { header: '包村干部电话', key: 'townshipPhone', width: 16 },
  { header: '村（居）委会干部', key: 'villageName' },
  { header: '村干部电话', key: 'villagePhone', width: 16 },
];

/** An instant as China time 'YYYY-MM-DD HH:mm', how a cadre reads it. */
function chinaDateTime(iso: string | null): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The month's overdue home visits (compliance.overdue) as a masked xlsx, audited. */
export function createOverdueExportService(platform: Platform, compliance: ComplianceService) {
  const { db, audit } = platform;
  return {
    async overdueXlsx(c: RequestContext, regionCode?: string, month?: string) {
      authorize(c.actor, 'compliance.read', regionCode);
      const rows: Array<Record<string, unknown>> = [];
      let resolvedMonth = month ?? '';
      for (let page = 1; ; page += 1) {
        const result = await compliance.overdue(c, regionCode, month, { page, pageSize: PAGE });
        resolvedMonth = result.month;
        if (result.page.total > OVERDUE_EXPORT_MAX_ROWS)
          throw AppError.field(
            'regionCode',
            `导出结果超过 ${OVERDUE_EXPORT_MAX_ROWS} 户，请缩小区域后再导出`,
            'EXPORT_TOO_LARGE',
          );
        for (const r of result.data) {
          const township = r.contacts.find((x) => x.post === 'township_cadre');
          const village = r.contacts.find((x) => x.post === 'village_cadre');
          rows.push({
            archiveNo: r.archiveNo,
            regionName: r.regionName,
            familyType: FAMILY_TYPE[r.familyType] ?? r.familyType,
            parentNames: r.parentNames.join('、'),
            contactsThisMonth: r.contactsThisMonth,
            lastContactAt: chinaDateTime(r.lastContactAt),
            lastHomeVisitAt: chinaDateTime(r.lastHomeVisitAt),
            townshipName: township?.name,
            // contact phones come masked from compliance.overdue (the stored mask)
            townshipPhone: township?.phone,
            villageName: village?.name,
            villagePhone: village?.phone,
          });
        }
        if (result.data.length < PAGE || rows.length >= result.page.total) break;
      }
      const buffer = await writeXlsx([{ name: `走访逾期-${resolvedMonth}`, columns: COLUMNS, rows, dropdownRows: 1 }]);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'compliance.overdue.export',
          targetType: 'region',
          targetId: regionCode ?? c.actor.regionCode,
          changes: { rowCount: rows.length, regionCode: regionCode ?? c.actor.regionCode, month: resolvedMonth },
        }),
      );
      return { buffer, fileName: `走访逾期名单-${resolvedMonth}.xlsx` };
    },
  };
}
export type OverdueExportService = ReturnType<typeof createOverdueExportService>;
