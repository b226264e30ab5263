import ExcelJS from 'exceljs';
import { STAT_RETURN_STATUS_LABELS } from '../../../common/labels.js';
import type { StatReturn, StatTemplateInfo } from '../../../common/schemas/stat-returns.js';
import { safeCell } from '../../../common/spreadsheet-safe.js';

/**
 * A return as the paper 统计表: title, 填报单位 and 报表期, one row per indicator under its section,
 * then 填报说明, 负责人, 填表人 and 报出日期. Every text cell goes through `safeCell` (formula injection);
 * figures are numbers.
 */
export async function returnWorkbook(r: StatReturn, info: StatTemplateInfo, today: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'guanhuai';
  const ws = wb.addWorksheet('统计表', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true } });
  ws.columns = [{ width: 8 }, { width: 46 }, { width: 12 }, { width: 16 }];
  const text = (v: unknown) => safeCell(v);

  ws.mergeCells('A1:D1');
  ws.getCell('A1').value = text(info.name);
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.addRow([text('填报单位'), text(r.regionName), text('报表期'), text(r.period)]);
  ws.addRow([text('状态'), text(STAT_RETURN_STATUS_LABELS[r.status]), text('区划代码'), text(r.regionCode)]);
  const header = ws.addRow([text('序号'), text('指标'), text('单位'), text('数值')]);
  header.font = { bold: true };

  let n = 0;
  for (const section of info.sections) {
    const row = ws.addRow([null, text(section.title), null, null]);
    row.font = { bold: true };
    for (const indicator of section.indicators) {
      n += 1;
      const figure = r.figures[indicator.code];
      ws.addRow([n, text(indicator.name), text(indicator.unit), typeof figure === 'number' ? figure : null]);
    }
  }
  ws.addRow([]);
  ws.addRow([text('填报说明'), text(r.remarks ?? '')]);
  ws.addRow([text('负责人'), text(r.responsiblePerson ?? ''), text('填表人'), text(r.preparedBy ?? '')]);
  ws.addRow([text('报出日期'), text(r.submittedAt ? r.submittedAt.slice(0, 10) : ''), text('导出日期'), text(today)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
