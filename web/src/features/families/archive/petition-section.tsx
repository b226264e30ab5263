import { lazy, Suspense, useState } from 'react';
import { Button, Flex, Space, Tag, Typography } from 'antd';
import { FormOutlined, PlusOutlined } from '@ant-design/icons';
import { useFamilyPetitionRisks, type PetitionRisk, type PetitionRisks } from '../../../api/families';
import { useCurrentUser } from '../../../app/auth-context';
import {
  formatDate,
  formatDateTime,
  HANDLING_KIND_LABELS,
  PETITION_FORM_LABELS,
  PETITION_WRITERS,
  petitionRiskTitle,
  RISK_LEVEL_LABELS,
  TARGET_LEVEL_LABELS,
} from '../family-labels';
import { RecordList, SectionCard } from './family-sections';
import { label, Loaded } from './related-sections';

// Forms load when a dialog opens, not with the archive.
const PetitionHandlingModal = lazy(() =>
  import('./petition-handling-modal').then((m) => ({ default: m.PetitionHandlingModal })),
);
const PetitionEventModal = lazy(() =>
  import('./petition-event-modal').then((m) => ({ default: m.PetitionEventModal })),
);

const RISK_COLORS: Record<string, string> = { blue: 'blue', yellow: 'gold', orange: 'orange', red: 'red' };

function RiskBlock({ risk, onHandle }: { risk: PetitionRisk; onHandle?: () => void }) {
  const isResolved = risk.status === 'resolved';
  return (
    <Flex vertical gap={4} data-testid="petition-risk">
      <Space size={6} wrap>
        <Tag color={RISK_COLORS[risk.riskLevel]}>{label(RISK_LEVEL_LABELS, risk.riskLevel)}风险</Tag>
        <span>{label(TARGET_LEVEL_LABELS, risk.targetLevel)}</span>
        <span>{risk.scope === 'group' ? '群访' : '个访'}</span>
        <Tag color={isResolved ? 'green' : 'orange'}>{isResolved ? '已化解' : '跟进中'}</Tag>
        {risk.isLeaderAlerted && <Tag color="volcano">已提醒县级领导</Tag>}
      </Space>
      <Typography.Text>{risk.signals}</Typography.Text>
      <Typography.Text type="secondary">
        发现于 {formatDateTime(risk.identifiedAt)}；
        {risk.visitedAt
          ? `已于 ${formatDateTime(risk.visitedAt)} 登门走访`
          : `应于 ${formatDateTime(risk.visitDueAt)} 前登门走访`}
        {isResolved
          ? `；${formatDateTime(risk.resolvedAt)} 化解`
          : risk.reviewDate && `；下次复查 ${formatDate(risk.reviewDate)}`}
      </Typography.Text>
      {risk.handlings.length > 0 && (
        <div style={{ paddingInlineStart: 12, borderInlineStart: '2px solid #f0f0f0' }}>
          <RecordList
            items={risk.handlings.map((h) => ({
              key: h.id,
              title: (
                <>
                  <Tag>{label(HANDLING_KIND_LABELS, h.kind)}</Tag>
                  <span>{formatDateTime(h.handledAt)}</span>
                  {h.handledBy && <Typography.Text type="secondary">{h.handledBy}</Typography.Text>}
                </>
              ),
              detail: h.note,
            }))}
          />
        </div>
      )}
      {onHandle && !isResolved && (
        <Space>
          <Button size="small" icon={<FormOutlined />} onClick={onHandle}>
            处置记录
          </Button>
        </Space>
      )}
    </Flex>
  );
}

function PetitionEvents({ data }: { data: PetitionRisks }) {
  return (
    <RecordList
      items={data.events.map((e) => {
        const risk = e.riskId ? data.risks.find((r) => r.id === e.riskId) : undefined;
        return {
          key: e.id,
          title: (
            <>
              <Typography.Text strong>信访事件</Typography.Text>
              <span>{formatDate(e.occurredOn)}</span>
              <span>{label(TARGET_LEVEL_LABELS, e.level)}</span>
              <span>{label(PETITION_FORM_LABELS, e.form)}</span>
              <span>{e.size} 人</span>
            </>
          ),
          detail:
            [e.outcome && `结果：${e.outcome}`, risk && `关联苗头：${petitionRiskTitle(risk)}`]
              .filter(Boolean)
              .join('；') || undefined,
        };
      })}
    />
  );
}

type Dialog = { action: 'handle'; riskId: string } | { action: 'event' };

/** Need-to-know (R7): shown only when the server answers; other roles get 404 and see no section at all. */
export function PetitionSection({ familyId }: { familyId: string }) {
  const { role, abilities } = useCurrentUser();
  // Village staff may report a risk but not read them: no request that can only answer 404.
  const petitions = useFamilyPetitionRisks(familyId, abilities.includes('petition.read'));
  const [dialog, setDialog] = useState<Dialog | null>(null);
  if (petitions.isPending || petitions.data === null) return null;
  const mayWrite = PETITION_WRITERS.includes(role);
  const handled = dialog?.action === 'handle' ? petitions.data?.risks.find((r) => r.id === dialog.riskId) : undefined;

  return (
    <SectionCard
      id="petitions"
      title="信访苗头"
      extra={
        mayWrite &&
        petitions.data && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog({ action: 'event' })}>
            登记信访事件
          </Button>
        )
      }
    >
      <Loaded
        query={petitions}
        isEmpty={(data) => !data || (data.risks.length === 0 && data.events.length === 0)}
        empty="暂无信访苗头"
      >
        {(data) =>
          data && (
            <Flex vertical gap={16}>
              {data.risks.map((risk) => (
                <RiskBlock
                  key={risk.id}
                  risk={risk}
                  onHandle={mayWrite ? () => setDialog({ action: 'handle', riskId: risk.id }) : undefined}
                />
              ))}
              {data.events.length > 0 && <PetitionEvents data={data} />}
            </Flex>
          )
        }
      </Loaded>
      <Suspense fallback={null}>
        {handled && <PetitionHandlingModal risk={handled} familyId={familyId} onClose={() => setDialog(null)} />}
        {dialog?.action === 'event' && petitions.data && (
          <PetitionEventModal familyId={familyId} risks={petitions.data.risks} onClose={() => setDialog(null)} />
        )}
      </Suspense>
    </SectionCard>
  );
}
