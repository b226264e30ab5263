import { SUBSIDY_KIND_LABELS } from '../../../common/labels.js';
import type { RequestContext } from '../../platform/context.js';
import { writeXlsx, type XlsxColumn } from '../../platform/spreadsheets/index.js';
import { yuan } from '../people/rollup.js';
import type { LiaisonsService } from './liaisons.service.js';

export const SUBSIDY_EXPORT_MAX_ROWS = 50_000;

const COLUMNS: XlsxColumn[] = [
  { header: '乡镇（街道）', key: 'regionName', width: 22 },
  { header: '联络员', key: 'liaisonName', width: 12 },
  { header: '联系电话', key: 'phone', width: 16 },
  { header: '补助期间', key: 'period', width: 12, text: true },
  { header: '补助类别', key: 'kind', width: 10 },
  { header: '金额（元）', key: 'amount', width: 12, text: false },
  { header: '支付单位', key: 'payerName', width: 22 },
  { header: '支付层级', key: 'payerLevel', width: 10 },
  { header: '支付日期', key: 'paidOn', width: 12 },
  { header: '备注', key: 'note', width: 30 },
];

/** The year's liaison subsidies for the finance office: the stored phone masks, cells made formula-safe by writeXlsx. */
export function createSubsidyExportService(liaisons: LiaisonsService) {
  return {
    async xlsx(c: RequestContext, regionCode?: string, year?: number) {
      const { code, year: y, rows } = await liaisons.subsidyRows(c, regionCode, year, SUBSIDY_EXPORT_MAX_ROWS);
      const buffer = await writeXlsx([
        {
          name: `联络员补助-${y}`,
          columns: COLUMNS,
          dropdownRows: 1,
          rows: rows.map((r) => ({
            regionName: r.region_name,
            liaisonName: r.liaison_name,
            phone: r.phone_mask,
            period: r.period,
            kind: SUBSIDY_KIND_LABELS[r.kind as keyof typeof SUBSIDY_KIND_LABELS] ?? r.kind,
            amount: yuan(r.amount_cents),
            payerName: r.payer_name,
            payerLevel: r.payer_level === 'county' ? '县级' : '乡镇级',
            paidOn: r.paid_on,
            note: r.note,
          })),
        },
      ]);
      await liaisons.recordExport(c, code, y, rows.length);
      return { buffer, fileName: `联络员补助-${y}.xlsx` };
    },
  };
}
export type SubsidyExportService = ReturnType<typeof createSubsidyExportService>;
