import { useParams } from 'react-router';
import { Alert, Button } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useStatReturn, useStatTemplates } from '../../api/stat-returns';
import { PageSpin } from '../../components/page-spin';
import { usePageTitle } from '../../components/use-page-title';
import {
  dueLabel,
  formatFigure,
  periodLabel,
  STAT_RETURN_STATUS_LABELS,
  STAT_TEMPLATE_LABELS,
} from './stat-return-labels';
import './stat-return-print.css';

/** The return as the paper 统计表: A4 landscape, with 填报单位 / 负责人 / 填表人 / 报出日期. */
export default function StatReturnPrintPage() {
  const { id = '' } = useParams();
  const query = useStatReturn(id);
  const templates = useStatTemplates();
  usePageTitle('打印统计报表');
  if (query.isPending || templates.isPending) return <PageSpin />;
  if (query.isError) return <Alert type="error" showIcon title={errorMessage(query.error)} />;
  const r = query.data;
  const info = templates.data?.find((t) => t.template === r.template);
  return (
    <div className="stat-print" data-testid="stat-return-print">
      <div className="stat-print-toolbar">
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
      </div>
      <h1>{STAT_TEMPLATE_LABELS[r.template]}</h1>
      <div className="stat-print-meta">
        <span>填报单位：{r.regionName}</span>
        <span>报表期：{periodLabel(r.period)}</span>
        <span>状态：{STAT_RETURN_STATUS_LABELS[r.status]}</span>
      </div>
      <table>
        <thead>
          <tr>
            <th>项目</th>
            <th>指标</th>
            <th>单位</th>
            <th>数值</th>
          </tr>
        </thead>
        <tbody>
          {info?.sections.flatMap((s) =>
            s.indicators.map((i, n) => (
              <tr key={i.code}>
                {n === 0 && <td rowSpan={s.indicators.length}>{s.title}</td>}
                <td>{i.name}</td>
                <td>{i.unit}</td>
                <td className="num">{formatFigure(r.figures[i.code], i.unit)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      {r.remarks && <p className="stat-print-remarks">填报说明：{r.remarks}</p>}
      <div className="stat-print-sign">
        <span>填报单位（盖章）：{r.regionName}</span>
        <span>负责人：{r.responsiblePerson ?? '＿＿＿＿'}</span>
        <span>填表人：{r.preparedBy ?? '＿＿＿＿'}</span>
        <span>报出日期：{r.submittedAt ? dueLabel(r.submittedAt) : '＿＿＿＿'}</span>
      </div>
    </div>
  );
}
