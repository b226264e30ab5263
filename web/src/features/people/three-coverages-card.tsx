import { Alert, Skeleton } from 'antd';
import { errorMessage } from '../../api/client';
import { useMedicalCoverage, type MedicalCoverage } from '../../api/people';
import { RegionBarsCard, share } from './people-ui';

type Row = MedicalCoverage['children'][number];

/** 三个全覆盖 side by side: 双岗 contacts, family-doctor signing, priority medical access, by child region. */
export function ThreeCoveragesCard({ regionCode }: { regionCode?: string }) {
  const coverage = useMedicalCoverage(regionCode);
  if (coverage.isError) return <Alert type="error" showIcon title={errorMessage(coverage.error)} />;
  if (!coverage.data) return <Skeleton active />;
  const c = coverage.data;
  return (
    <RegionBarsCard<Row>
      testId="three-coverages"
      title={`三个全覆盖：联系人 ${share(c.bothPosts, c.families)} · 家庭医生 ${share(c.familyDoctor, c.families)} · 绿色通道 ${share(c.priorityAccess, c.families)}`}
      label="各下级区划落实双岗联系人、签约家庭医生、就医绿色通道的家庭数条形图，数据见旁边的表格"
      rows={c.children}
      series={[
        { key: 'bothPosts', name: '双岗联系人', color: '#1d5fa8' },
        { key: 'familyDoctor', name: '家庭医生', color: '#389e0d' },
        { key: 'priorityAccess', name: '绿色通道', color: '#d48806' },
      ]}
      extraColumns={[
        { title: '在册家庭', dataIndex: 'families', key: 'families', align: 'right' },
        {
          title: '三项均落实率（最低项）',
          key: 'min',
          align: 'right',
          render: (_, r) => share(Math.min(r.bothPosts, r.familyDoctor, r.priorityAccess), r.families),
        },
      ]}
    />
  );
}
