import { lazy, Suspense, useState } from 'react';
import { Button, Flex, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  MEDICAL_SERVICE_KIND_LABELS,
  PAIRING_KIND_LABELS,
  PRIORITY_ARRANGEMENT_LABELS,
} from '../../../../common/labels';
import {
  useFamilyMedical,
  useFamilyPairings,
  type FamilyMedicalServices,
  type PairingWithActivities,
} from '../../api/people';
import { useCurrentUser } from '../../app/auth-context';
import { formatDate } from '../families/family-labels';
import { RecordList, SectionCard } from '../families/archive/family-sections';
import { Loaded } from '../families/archive/related-sections';

const lazyForm = <K extends 'NewPairingModal' | 'PairingActivityModal' | 'PairingEndModal' | 'MedicalModal'>(name: K) =>
  lazy(() => import('./archive-forms').then((m) => ({ default: m[name] })));
const NewPairingModal = lazyForm('NewPairingModal');
const PairingActivityModal = lazyForm('PairingActivityModal');
const PairingEndModal = lazyForm('PairingEndModal');
const MedicalModal = lazyForm('MedicalModal');

function PairingItemActions({ pairing }: { pairing: PairingWithActivities }) {
  const [form, setForm] = useState<'activity' | 'end' | null>(null);
  return (
    <>
      <Button size="small" type="link" onClick={() => setForm('activity')}>
        登记活动
      </Button>
      <Button size="small" type="link" danger onClick={() => setForm('end')}>
        结束结对
      </Button>
      <Suspense fallback={null}>
        {form === 'activity' && <PairingActivityModal pairing={pairing} onClose={() => setForm(null)} />}
        {form === 'end' && <PairingEndModal pairing={pairing} onClose={() => setForm(null)} />}
      </Suspense>
    </>
  );
}

/** 结对帮扶 on the archive (R14): who is paired with the family, doing what, and their activities. */
export function PairingsSection({ familyId, isExited }: { familyId: string; isExited: boolean }) {
  const pairings = useFamilyPairings(familyId);
  const user = useCurrentUser();
  const canWrite = user.abilities.includes('pairing.write');
  const [creating, setCreating] = useState(false);
  return (
    <SectionCard
      id="pairings"
      title="结对帮扶"
      extra={
        canWrite &&
        !isExited && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            结对
          </Button>
        )
      }
    >
      <Loaded query={pairings} isEmpty={(d) => d.length === 0} empty="暂无结对帮扶">
        {(data) => (
          <RecordList
            items={data.map((p) => ({
              key: p.id,
              title: (
                <>
                  <Typography.Text strong>
                    {[p.organizationName, p.volunteerName].filter(Boolean).join(' · ')}
                  </Typography.Text>
                  <Tag>{PAIRING_KIND_LABELS[p.kind]}</Tag>
                  {p.isActive ? <Tag color="green">帮扶中</Tag> : <Tag>已结束</Tag>}
                </>
              ),
              detail: (
                <>
                  {formatDate(p.startedOn)} 起
                  {p.endedOn ? `，${formatDate(p.endedOn)} 结束（${p.endReason ?? ''}）` : ''}； 活动{' '}
                  {p.activities.length} 次
                  {p.activities[0]
                    ? `，最近 ${formatDate(p.activities[0].occurredOn)}：${p.activities[0].note ?? PAIRING_KIND_LABELS[p.activities[0].kind]}`
                    : ''}
                  {canWrite && p.isActive && <PairingItemActions pairing={p} />}
                </>
              ),
            }))}
          />
        )}
      </Loaded>
      <Suspense fallback={null}>
        {creating && <NewPairingModal familyId={familyId} onClose={() => setCreating(false)} />}
      </Suspense>
    </SectionCard>
  );
}

function MedicalLine({
  label,
  data,
  kind,
}: {
  label: string;
  data: FamilyMedicalServices;
  kind: 'familyDoctor' | 'priorityAccess';
}) {
  const current = data[kind];
  return (
    <Typography.Paragraph style={{ marginBottom: 4 }}>
      <Typography.Text strong>{label}：</Typography.Text>
      {current ? (
        <>
          <Tag color="green">已落实</Tag>
          {current.institution}
          {current.doctor ? ` · ${current.doctor}` : ''}
          {current.arrangement ? ` · ${PRIORITY_ARRANGEMENT_LABELS[current.arrangement]}` : ''} ·{' '}
          {formatDate(current.startedOn)} 起{current.expiresOn ? `，${formatDate(current.expiresOn)} 到期` : ''}
        </>
      ) : (
        <Tag color="orange">未落实</Tag>
      )}
    </Typography.Paragraph>
  );
}

/** 家庭医生签约 and 就医绿色通道 on the archive (三个全覆盖), each with its own history. */
export function MedicalSection({ familyId, isExited }: { familyId: string; isExited: boolean }) {
  const medical = useFamilyMedical(familyId);
  const [form, setForm] = useState<'family_doctor' | 'priority_access' | null>(null);
  const canWrite = medical.data?.abilities.write && !isExited;
  return (
    <SectionCard
      id="medical"
      title="家庭医生与就医绿色通道"
      extra={
        canWrite && (
          <Flex gap={4} wrap>
            <Button size="small" onClick={() => setForm('family_doctor')}>
              签约家庭医生
            </Button>
            <Button size="small" onClick={() => setForm('priority_access')}>
              绿色通道
            </Button>
          </Flex>
        )
      }
    >
      <Loaded query={medical} isEmpty={() => false} empty="">
        {(data) => (
          <>
            <MedicalLine label="家庭医生签约" data={data} kind="familyDoctor" />
            <MedicalLine label="就医绿色通道（优先便利）" data={data} kind="priorityAccess" />
            {data.history.length > 0 && (
              <RecordList
                items={data.history.map((h) => ({
                  key: h.id,
                  title: (
                    <>
                      <span>{MEDICAL_SERVICE_KIND_LABELS[h.kind]}</span>
                      <span>{h.institution}</span>
                      {h.isCurrent ? (
                        <Tag color="green">有效</Tag>
                      ) : (
                        <Tag>{h.endedOn ? '已终止' : '未生效或已到期'}</Tag>
                      )}
                    </>
                  ),
                  detail: `${formatDate(h.startedOn)} 起${h.expiresOn ? `，${formatDate(h.expiresOn)} 到期` : ''}${h.endedOn ? `；${formatDate(h.endedOn)} ${h.endReason ?? '终止'}` : ''}`,
                }))}
              />
            )}
          </>
        )}
      </Loaded>
      <Suspense fallback={null}>
        {form && <MedicalModal familyId={familyId} kind={form} onClose={() => setForm(null)} />}
      </Suspense>
    </SectionCard>
  );
}
