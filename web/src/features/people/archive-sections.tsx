import { useState } from 'react';
import { Button, Flex, Form, Input, Select, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  MEDICAL_SERVICE_KIND_LABELS,
  PAIRING_KIND_LABELS,
  PAIRING_KINDS,
  PRIORITY_ARRANGEMENT_LABELS,
  PRIORITY_ARRANGEMENTS,
} from '../../../../common/labels';
import { LIMITS } from '../../../../common/limits';
import {
  useAddPairingActivity,
  useCreatePairing,
  useEndPairing,
  useFamilyMedical,
  useFamilyPairings,
  usePartnerOrganizations,
  useRecordMedical,
  type FamilyMedicalServices,
  type PairingWithActivities,
} from '../../api/people';
import { useCurrentUser } from '../../app/auth-context';
import { formatDate } from '../families/family-labels';
import { RecordList, SectionCard } from '../families/archive/family-sections';
import { Loaded } from '../families/archive/related-sections';
import { FormModal, optional } from './people-forms';
import { todayIso } from './people-ui';

type PairingKind = (typeof PAIRING_KINDS)[number];

function NewPairingModal({ familyId, onClose }: { familyId: string; onClose: () => void }) {
  const create = useCreatePairing();
  const orgs = usePartnerOrganizations({ page: 1, pageSize: 200 });
  return (
    <FormModal<{
      organizationId?: string;
      volunteerName?: string;
      kind: PairingKind;
      startedOn: string;
      description?: string;
    }>
      title="结对帮扶"
      testId="pairing-form"
      fields={['organizationId', 'volunteerName', 'kind', 'startedOn', 'description', 'familyId']}
      done="已结对"
      initialValues={{ startedOn: todayIso(), kind: 'emotional_support' }}
      onClose={onClose}
      onSubmit={(v) =>
        create.mutateAsync({
          familyId,
          organizationId: v.organizationId ?? undefined,
          volunteerName: optional(v.volunteerName),
          kind: v.kind,
          startedOn: v.startedOn,
          description: optional(v.description),
        })
      }
    >
      {() => (
        <>
          <Form.Item name="organizationId" label="帮扶组织">
            <Select
              allowClear
              placeholder="选择组织（或只填志愿者）"
              loading={orgs.isPending}
              options={(orgs.data?.data ?? []).map((o) => ({ value: o.id, label: `${o.name}（${o.regionName}）` }))}
            />
          </Form.Item>
          <Form.Item name="volunteerName" label="志愿者姓名">
            <Input maxLength={LIMITS.name} />
          </Form.Item>
          <Form.Item name="kind" label="帮扶内容">
            <Select options={PAIRING_KINDS.map((k) => ({ value: k, label: PAIRING_KIND_LABELS[k] }))} />
          </Form.Item>
          <Form.Item name="startedOn" label="结对日期" rules={[{ required: true, message: '请填写日期' }]}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="description" label="说明">
            <Input maxLength={LIMITS.shortText} />
          </Form.Item>
        </>
      )}
    </FormModal>
  );
}

function PairingItemActions({ pairing }: { pairing: PairingWithActivities }) {
  const [form, setForm] = useState<'activity' | 'end' | null>(null);
  const add = useAddPairingActivity();
  const end = useEndPairing();
  return (
    <>
      <Button size="small" type="link" onClick={() => setForm('activity')}>
        登记活动
      </Button>
      <Button size="small" type="link" danger onClick={() => setForm('end')}>
        结束结对
      </Button>
      {form === 'activity' && (
        <FormModal<{ occurredOn: string; kind: PairingKind; note?: string }>
          title="登记帮扶活动"
          fields={['occurredOn', 'kind', 'note']}
          done="已登记"
          initialValues={{ occurredOn: todayIso(), kind: pairing.kind }}
          onClose={() => setForm(null)}
          onSubmit={(v) => add.mutateAsync({ id: pairing.id, ...v, note: optional(v.note) })}
        >
          {() => (
            <>
              <Form.Item name="occurredOn" label="日期" rules={[{ required: true, message: '请填写日期' }]}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="kind" label="内容">
                <Select options={PAIRING_KINDS.map((k) => ({ value: k, label: PAIRING_KIND_LABELS[k] }))} />
              </Form.Item>
              <Form.Item name="note" label="情况">
                <Input.TextArea rows={3} maxLength={LIMITS.longText} />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
      {form === 'end' && (
        <FormModal<{ endedOn: string; reason: string }>
          title="结束结对"
          fields={['endedOn', 'reason']}
          done="已结束"
          okText="确认结束"
          initialValues={{ endedOn: todayIso() }}
          onClose={() => setForm(null)}
          onSubmit={(v) =>
            end.mutateAsync({ id: pairing.id, version: pairing.version, endedOn: v.endedOn, reason: v.reason.trim() })
          }
        >
          {() => (
            <>
              <Form.Item name="endedOn" label="结束日期" rules={[{ required: true, message: '请填写日期' }]}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请填写原因' }]}>
                <Input maxLength={LIMITS.shortText} />
              </Form.Item>
            </>
          )}
        </FormModal>
      )}
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
      {creating && <NewPairingModal familyId={familyId} onClose={() => setCreating(false)} />}
    </SectionCard>
  );
}

function MedicalModal({
  familyId,
  kind,
  onClose,
}: {
  familyId: string;
  kind: 'family_doctor' | 'priority_access';
  onClose: () => void;
}) {
  const record = useRecordMedical();
  return (
    <FormModal<{
      institution: string;
      doctor?: string;
      arrangement?: (typeof PRIORITY_ARRANGEMENTS)[number];
      startedOn: string;
      expiresOn?: string;
      note?: string;
    }>
      title={kind === 'family_doctor' ? '签约家庭医生（新签或续约）' : '就医绿色通道（优先便利）'}
      testId="medical-form"
      fields={['institution', 'doctor', 'arrangement', 'startedOn', 'expiresOn', 'note', 'familyId']}
      done="已登记"
      initialValues={{ startedOn: todayIso(), arrangement: 'card' }}
      onClose={onClose}
      onSubmit={(v) =>
        record.mutateAsync({
          familyId,
          kind,
          institution: v.institution.trim(),
          doctor: kind === 'family_doctor' ? optional(v.doctor) : undefined,
          arrangement: kind === 'priority_access' ? v.arrangement : undefined,
          startedOn: v.startedOn,
          expiresOn: optional(v.expiresOn),
          note: optional(v.note),
        })
      }
    >
      {() => (
        <>
          <Form.Item name="institution" label="医疗机构" rules={[{ required: true, message: '请填写医疗机构' }]}>
            <Input maxLength={LIMITS.shortText} />
          </Form.Item>
          {kind === 'family_doctor' ? (
            <Form.Item name="doctor" label="签约医生" rules={[{ required: true, message: '请填写签约医生' }]}>
              <Input maxLength={LIMITS.name} />
            </Form.Item>
          ) : (
            <Form.Item name="arrangement" label="方式">
              <Select
                options={PRIORITY_ARRANGEMENTS.map((a) => ({ value: a, label: PRIORITY_ARRANGEMENT_LABELS[a] }))}
              />
            </Form.Item>
          )}
          <Flex gap={12} wrap>
            <Form.Item
              name="startedOn"
              label={kind === 'family_doctor' ? '签约日期' : '办理日期'}
              rules={[{ required: true, message: '请填写日期' }]}
            >
              <Input type="date" />
            </Form.Item>
            <Form.Item name="expiresOn" label="到期日期">
              <Input type="date" />
            </Form.Item>
          </Flex>
          <Form.Item name="note" label="备注">
            <Input maxLength={LIMITS.shortText} />
          </Form.Item>
        </>
      )}
    </FormModal>
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
      {form && <MedicalModal familyId={familyId} kind={form} onClose={() => setForm(null)} />}
    </SectionCard>
  );
}
