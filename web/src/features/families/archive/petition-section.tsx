import { Flex, Space, Tag, Typography } from 'antd';
import { useFamilyPetitionRisks } from '../../../api/families';
import { formatDate, formatDateTime, RISK_LEVEL_LABELS, TARGET_LEVEL_LABELS } from '../family-labels';
import { RecordList, SectionCard } from './family-sections';
import { label, Loaded } from './related-sections';

const RISK_COLORS: Record<string, string> = { blue: 'blue', yellow: 'gold', orange: 'orange', red: 'red' };
const PETITION_FORMS: Record<string, string> = { visit: '走访', letter: '来信', online: '网上', phone: '电话' };

/** Need-to-know (R7): shown only when the server answers; other roles get 404 and see no section at all. */
export function PetitionSection({ familyId }: { familyId: string }) {
  const petitions = useFamilyPetitionRisks(familyId);
  if (petitions.isPending || petitions.data === null) return null;
  return (
    <SectionCard id="petitions" title="信访苗头">
      <Loaded
        query={petitions}
        isEmpty={(data) => !data || (data.risks.length === 0 && data.events.length === 0)}
        empty="暂无信访苗头"
      >
        {(data) =>
          data && (
            <Flex vertical gap={12}>
              {data.risks.map((risk) => (
                <Flex key={risk.id} vertical gap={4}>
                  <Space size={6} wrap>
                    <Tag color={RISK_COLORS[risk.riskLevel]}>{label(RISK_LEVEL_LABELS, risk.riskLevel)}风险</Tag>
                    <span>{label(TARGET_LEVEL_LABELS, risk.targetLevel)}</span>
                    <span>{risk.scope === 'group' ? '群访' : '个访'}</span>
                    <Tag color={risk.status === 'resolved' ? 'green' : 'orange'}>
                      {risk.status === 'resolved' ? '已化解' : '跟进中'}
                    </Tag>
                  </Space>
                  <Typography.Text>{risk.signals}</Typography.Text>
                  <Typography.Text type="secondary">
                    发现于 {formatDateTime(risk.identifiedAt)}；
                    {risk.visitedAt
                      ? `已于 ${formatDateTime(risk.visitedAt)} 走访`
                      : `应于 ${formatDateTime(risk.visitDueAt)} 前走访`}
                  </Typography.Text>
                </Flex>
              ))}
              {data.events.length > 0 && (
                <RecordList
                  items={data.events.map((e) => ({
                    key: e.id,
                    title: (
                      <>
                        <Typography.Text strong>信访事件</Typography.Text>
                        <span>{formatDate(e.occurredOn)}</span>
                        <span>{label(TARGET_LEVEL_LABELS, e.level)}</span>
                        <span>{label(PETITION_FORMS, e.form)}</span>
                        <span>{e.size} 人</span>
                      </>
                    ),
                    detail: e.outcome ?? undefined,
                  }))}
                />
              )}
            </Flex>
          )
        }
      </Loaded>
    </SectionCard>
  );
}
