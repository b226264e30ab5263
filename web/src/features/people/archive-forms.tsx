import { Flex, Form, Input, Select } from 'antd';
import {
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
  usePartnerOrganizations,
  useRecordMedical,
  type PairingWithActivities,
} from '../../api/people';
import { FormModal, optional } from './people-forms';
import { todayIso } from './people-format';

/* The archive's people forms, loaded only when one opens: the archive page stays light on a phone. */

type PairingKind = (typeof PAIRING_KINDS)[number];

export function NewPairingModal({ familyId, onClose }: { familyId: string; onClose: () => void }) {
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

export function PairingActivityModal({ pairing, onClose }: { pairing: PairingWithActivities; onClose: () => void }) {
  const add = useAddPairingActivity();
  return (
    <FormModal<{ occurredOn: string; kind: PairingKind; note?: string }>
      title="登记帮扶活动"
      fields={['occurredOn', 'kind', 'note']}
      done="已登记"
      initialValues={{ occurredOn: todayIso(), kind: pairing.kind }}
      onClose={onClose}
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
  );
}

export function PairingEndModal({ pairing, onClose }: { pairing: PairingWithActivities; onClose: () => void }) {
  const end = useEndPairing();
  return (
    <FormModal<{ endedOn: string; reason: string }>
      title="结束结对"
      fields={['endedOn', 'reason']}
      done="已结束"
      okText="确认结束"
      initialValues={{ endedOn: todayIso() }}
      onClose={onClose}
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
  );
}

export function MedicalModal({
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
