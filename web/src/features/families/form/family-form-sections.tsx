import {
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Switch,
  Typography,
} from 'antd';
import type { FormInstance } from 'antd';
import dayjs from 'dayjs';
import {
  CHILD_RELATION,
  DEATH_CAUSE,
  DISABILITY_CATEGORY,
  ECONOMIC_SITUATION,
  EDUCATION,
  ETHNICITY,
  FAMILY_TYPE,
  HEALTH,
  HOUSEHOLD_STATUS,
  HOUSING_SITUATION,
  INSURANCE,
  LIVING_SITUATION,
  MARITAL_STATUS,
  MENTAL_STATE,
  SELF_CARE,
} from '../../../../../common/code-lists';
import { LIMITS } from '../../../../../common/limits';
import { DisabilityCertInput, IdNumberInput, PhoneInput } from '../../../../../common/schemas/families';
import { parseIdNumber } from '../../../../../common/validators/id-number';
import type { FamilyDetail, Relation } from '../../../api/families';
import { RegionPicker } from '../../../components/region-picker';
import { ageOn, codeOptions, formatDate, RELATION_LABELS, SEX_LABELS } from '../family-labels';
import { fixedPath, memberPath, problemRule, zodRule, type FamilyFormValues } from './family-form-model';

/** One column on a phone, two on a tablet, three on a wide screen. */
const COL = { xs: 24, md: 12, xl: 8 } as const;
const DATE_FORMAT = 'YYYY-MM-DD';
const notAfterToday = (d: dayjs.Dayjs) => d.isAfter(dayjs(), 'day');

function CodeSelect({ codes, ...props }: { codes: Readonly<Record<string, string>> } & Record<string, unknown>) {
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder="请选择"
      options={codeOptions(codes)}
      {...props}
    />
  );
}

const textRules = (label: string, max: number, required = false) => [
  ...(required ? [{ required: true, whitespace: true, message: `请填写${label}` }] : []),
  { max, message: `${label}不能超过 ${max} 个字` },
];

interface SectionProps {
  form: FormInstance<FamilyFormValues>;
  existing?: FamilyDetail;
}

export function FamilyFields({ form, existing, rootCode }: SectionProps & { rootCode: string }) {
  return (
    <Card title="家庭信息" size="small" style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        <Col xs={24} md={12} xl={8}>
          <Form.Item name="familyType" label="家庭类别" rules={[{ required: true, message: '请选择家庭类别' }]}>
            <Radio.Group optionType="button" options={codeOptions(FAMILY_TYPE)} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={16}>
          <Form.Item
            name="regionCode"
            label="户籍村（居）"
            rules={[{ required: true, message: '请选择户籍所在村（居）' }]}
            extra="只能选择村（居）委会"
          >
            <RegionPicker rootCode={rootCode} selectableLevels={['village']} placeholder="请选择村（居）" />
          </Form.Item>
        </Col>
        <Col xs={24} xl={12}>
          <Form.Item name="address" label="详细地址" rules={textRules('详细地址', LIMITS.address, true)}>
            <Input maxLength={LIMITS.address} placeholder="如：5 组 12 号" />
          </Form.Item>
        </Col>
        <Col xs={24} xl={12}>
          <Form.Item name="currentAddress" label="现居住地址" rules={textRules('现居住地址', LIMITS.address)}>
            <Input maxLength={LIMITS.address} placeholder="与户籍地址相同可不填" />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name="householdStatus" label="家庭结构">
            <CodeSelect codes={HOUSEHOLD_STATUS} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name="livingSituation" label="居住状况">
            <CodeSelect codes={LIVING_SITUATION} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name="economicSituation" label="经济状况">
            <CodeSelect codes={ECONOMIC_SITUATION} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name="annualIncome" label="家庭年收入（元）">
            <InputNumber min={0} max={100_000_000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name="housingSituation" label="住房状况">
            <CodeSelect codes={HOUSING_SITUATION} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name="honorCertificateNo" label="光荣证号" rules={textRules('光荣证号', 40)}>
            <Input maxLength={40} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item
            name="enteredAt"
            label="建档日期"
            rules={[{ required: true, message: '请选择建档日期' }, problemRule(form, fixedPath('enteredAt'), existing)]}
          >
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={notAfterToday} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item
            name="isSpecialDifficulty"
            label="特殊困难家庭"
            valuePropName="checked"
            extra="由县级卫健部门领导联系"
          >
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
        </Col>
      </Row>
    </Card>
  );
}

/** 性别、出生日期 read from the ID number as it is typed. */
function IdDerived({
  idNumber,
  stored,
}: {
  idNumber: string | undefined;
  stored?: { sex: string; birthDate: string };
}) {
  const parsed = idNumber ? parseIdNumber(idNumber) : null;
  if (parsed?.ok)
    return (
      <span data-testid="id-derived">
        性别：{SEX_LABELS[parsed.sex]} · 出生日期：{formatDate(parsed.birthDate)}（{ageOn(parsed.birthDate)} 岁）
      </span>
    );
  if (!idNumber && stored)
    return (
      <span>
        原号码不变：性别{stored.sex} · 出生日期 {formatDate(stored.birthDate)}
      </span>
    );
  return <span>性别和出生日期将从身份证号码读取</span>;
}

export function MemberFields({ form, existing, relation }: SectionProps & { relation: Relation }) {
  const who = RELATION_LABELS[relation];
  const hasName = relation === 'mother' ? 'hasMother' : 'hasFather';
  const stored = existing?.members.find((m) => m.relation === relation);
  const ticked = Form.useWatch(hasName, form) as boolean | undefined;
  // A parent already in the archive cannot be removed, so there is no box to untick.
  const enabled = stored ? true : (ticked ?? false);
  const idNumber = Form.useWatch([relation, 'idNumber'], form) as string | undefined;
  const deceased = Form.useWatch([relation, 'isDeceased'], form) as boolean | undefined;
  const path = (field: string) => memberPath(relation, field);

  const toggle = stored ? null : (
    <Form.Item name={hasName} valuePropName="checked" noStyle>
      <Checkbox>{existing ? `补充${who}信息` : `填写${who}信息`}</Checkbox>
    </Form.Item>
  );

  return (
    <Card
      title={stored ? `${who}：${stored.name}` : who}
      extra={toggle}
      size="small"
      style={{ marginBottom: 16 }}
      data-testid={`member-${relation}`}
    >
      {!enabled ? (
        <Typography.Text type="secondary">
          {relation === 'father' ? '父亲' : '母亲'}已故多年或无法登记的，可不填；父母至少填写一位。
        </Typography.Text>
      ) : (
        <Row gutter={16}>
          <Col {...COL}>
            <Form.Item name={[relation, 'name']} label={`${who}姓名`} rules={textRules('姓名', LIMITS.name, true)}>
              <Input maxLength={LIMITS.name} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item
              name={[relation, 'idNumber']}
              label={`${who}身份证号`}
              validateFirst
              dependencies={[['child', 'birthDate']]}
              extra={
                <IdDerived
                  idNumber={idNumber}
                  stored={stored && { sex: SEX_LABELS[stored.sex], birthDate: stored.birthDate }}
                />
              }
              rules={[
                ...(stored ? [] : [{ required: true, whitespace: true, message: `请填写${who}身份证号码` }]),
                zodRule(IdNumberInput),
                problemRule(form, path('idNumber'), existing),
              ]}
            >
              <Input
                maxLength={18}
                autoComplete="off"
                inputMode="text"
                placeholder={stored ? `${stored.idNumber}（不修改请留空）` : '18 位身份证号码'}
                style={{ fontFamily: 'monospace' }}
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'phone']} label="联系电话" rules={[zodRule(PhoneInput)]}>
              <Input
                maxLength={20}
                autoComplete="off"
                inputMode="tel"
                placeholder={stored?.phone ? `${stored.phone}（不修改请留空）` : '手机号或带区号的座机'}
              />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'ethnicity']} label="民族">
              <CodeSelect codes={ETHNICITY} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'education']} label="文化程度">
              <CodeSelect codes={EDUCATION} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'maritalStatus']} label="婚姻状况">
              <CodeSelect codes={MARITAL_STATUS} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'health']} label="健康状况">
              <CodeSelect codes={HEALTH} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'selfCare']} label="生活自理能力">
              <CodeSelect codes={SELF_CARE} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'mentalState']} label="精神状态">
              <CodeSelect codes={MENTAL_STATE} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'pensionInsurance']} label="养老保险">
              <CodeSelect codes={INSURANCE} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'medicalInsurance']} label="医疗保险">
              <CodeSelect codes={INSURANCE} />
            </Form.Item>
          </Col>
          <Col {...COL}>
            <Form.Item name={[relation, 'isDeceased']} label="是否已故" valuePropName="checked">
              <Switch checkedChildren="已故" unCheckedChildren="健在" />
            </Form.Item>
          </Col>
          {deceased && (
            <Col {...COL}>
              <Form.Item
                name={[relation, 'deathDate']}
                label="死亡日期"
                dependencies={[[relation, 'idNumber']]}
                rules={[{ required: true, message: '请选择死亡日期' }, problemRule(form, path('deathDate'), existing)]}
              >
                <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={notAfterToday} />
              </Form.Item>
            </Col>
          )}
        </Row>
      )}
    </Card>
  );
}

export function ChildFields({ form, existing }: SectionProps) {
  const familyType = Form.useWatch('familyType', form);
  const bereaved = familyType !== 'disabled';
  const stored = existing?.child;
  const childPath = (field: string) => fixedPath(`child.${field}`);
  return (
    <Card title="独生子女" size="small" style={{ marginBottom: 16 }}>
      <Row gutter={16}>
        <Col {...COL}>
          <Form.Item name={['child', 'name']} label="子女姓名" rules={textRules('子女姓名', LIMITS.name)}>
            <Input maxLength={LIMITS.name} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name={['child', 'relation']} label="与父母关系">
            <CodeSelect codes={CHILD_RELATION} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item
            name={['child', 'sex']}
            label="子女性别"
            dependencies={[['child', 'idNumber']]}
            rules={[{ required: true, message: '请选择子女性别' }, problemRule(form, childPath('sex'), existing)]}
          >
            <Radio.Group
              options={[
                { value: 'male', label: '男' },
                { value: 'female', label: '女' },
              ]}
            />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item
            name={['child', 'birthDate']}
            label="子女出生日期"
            dependencies={[['child', 'idNumber']]}
            rules={[
              { required: true, message: '请选择子女出生日期' },
              problemRule(form, childPath('birthDate'), existing),
            ]}
          >
            <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={notAfterToday} />
          </Form.Item>
        </Col>
        <Col {...COL}>
          <Form.Item name={['child', 'idNumber']} label="子女身份证号" rules={[zodRule(IdNumberInput)]}>
            <Input
              maxLength={18}
              autoComplete="off"
              placeholder={stored?.idNumber ? `${stored.idNumber}（不修改请留空）` : '可不填'}
              style={{ fontFamily: 'monospace' }}
            />
          </Form.Item>
        </Col>
        {bereaved ? (
          <>
            <Col {...COL}>
              <Form.Item
                name={['child', 'deathDate']}
                label="子女死亡日期"
                dependencies={[['child', 'birthDate'], 'familyType']}
                rules={[
                  { required: true, message: '失独家庭须填写子女死亡日期' },
                  problemRule(form, childPath('deathDate'), existing),
                ]}
              >
                <DatePicker style={{ width: '100%' }} format={DATE_FORMAT} disabledDate={notAfterToday} />
              </Form.Item>
            </Col>
            <Col {...COL}>
              <Form.Item name={['child', 'deathCause']} label="死亡原因">
                <CodeSelect codes={DEATH_CAUSE} />
              </Form.Item>
            </Col>
          </>
        ) : (
          <>
            <Col {...COL}>
              <Form.Item name={['child', 'disabilityCertNo']} label="残疾人证号" rules={[zodRule(DisabilityCertInput)]}>
                <Input
                  maxLength={20}
                  autoComplete="off"
                  placeholder={stored?.disabilityCertNo ? `${stored.disabilityCertNo}（不修改请留空）` : '20 位'}
                  style={{ fontFamily: 'monospace' }}
                />
              </Form.Item>
            </Col>
            <Col {...COL}>
              <Form.Item name={['child', 'disabilityCategory']} label="残疾类别">
                <CodeSelect codes={DISABILITY_CATEGORY} />
              </Form.Item>
            </Col>
            <Col {...COL}>
              <Form.Item
                name={['child', 'disabilityGrade']}
                label="残疾等级"
                dependencies={[['child', 'disabilityCertNo'], 'familyType']}
                rules={[
                  { required: true, message: '伤残家庭须填写子女残疾等级（1–4 级）' },
                  problemRule(form, childPath('disabilityGrade'), existing),
                ]}
              >
                <Select
                  placeholder="请选择"
                  options={[1, 2, 3, 4].map((g) => ({ value: g, label: `${'一二三四'[g - 1]}级` }))}
                />
              </Form.Item>
            </Col>
            <Col {...COL}>
              <Form.Item name={['child', 'isRecovered']} label="是否康复" valuePropName="checked">
                <Switch checkedChildren="已康复" unCheckedChildren="未康复" />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
    </Card>
  );
}
