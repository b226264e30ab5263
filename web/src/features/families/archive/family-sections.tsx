import { Card, Descriptions, Flex, Space, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import {
  ASSISTANCE_ITEM,
  CHILD_RELATION,
  DEATH_CAUSE,
  DISABILITY_CATEGORY,
  ECONOMIC_SITUATION,
  EDUCATION,
  ETHNICITY,
  FUND_SOURCE,
  HEALTH,
  HOUSEHOLD_STATUS,
  HOUSING_SITUATION,
  INSURANCE,
  LIVING_SITUATION,
  MARITAL_STATUS,
  MENTAL_STATE,
  SELF_CARE,
  STATUS_REASON,
} from '../../../../../common/code-lists';
import type { AssistanceRecord, FamilyDetail, Member } from '../../../api/families';
import { ageOn, codeLabel, formatDate, formatMonth, formatYuan, RELATION_LABELS, SEX_LABELS } from '../family-labels';
import { FamilyStatusTag, FamilyTypeTag } from '../family-tags';
import { MaskedValue } from './masked-value';

/** One column on a phone, two on a tablet, three on a wide screen. */
export const DESCRIPTION_COLUMNS: DescriptionsProps['column'] = { xs: 1, sm: 2, xl: 3 };

const text = (value: string | null | undefined) => (value ? value : '—');
const yesNo = (value: boolean | null | undefined) =>
  value === null || value === undefined ? '—' : value ? '是' : '否';

/** "Nothing yet" in one quiet line: an empty section should not push the rest of the archive down. */
export function NoneYet({ text }: { text: string }) {
  return <Typography.Text type="secondary">{text}</Typography.Text>;
}

export interface RecordItem {
  key: string;
  /** The first line: what it is, with its tags. */
  title: React.ReactNode;
  /** The second line, quieter: when, who, details. */
  detail?: React.ReactNode;
}

/** Records as two-line rows: reads well on a phone, and keeps antd's Table and List (with their pagers) off the page. */
export function RecordList({ items }: { items: RecordItem[] }) {
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {items.map((item, index) => (
        <li
          key={item.key}
          style={{ padding: '8px 0', borderTop: index > 0 ? '1px solid #f0f0f0' : undefined, wordBreak: 'break-word' }}
        >
          <Flex vertical gap={2} style={{ minWidth: 0 }}>
            <Space size={6} wrap>
              {item.title}
            </Space>
            {item.detail && <Typography.Text type="secondary">{item.detail}</Typography.Text>}
          </Flex>
        </li>
      ))}
    </ul>
  );
}

export function SectionCard({
  id,
  title,
  extra,
  children,
}: {
  id: string;
  title: React.ReactNode;
  extra?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Card id={id} title={title} extra={extra} size="small" style={{ marginBottom: 16 }}>
      {children}
    </Card>
  );
}

export function FamilyInfoSection({ family }: { family: FamilyDetail }) {
  const items: DescriptionsProps['items'] = [
    { key: 'archiveNo', label: '档案编号', children: family.archiveNo },
    { key: 'type', label: '家庭类别', children: <FamilyTypeTag type={family.familyType} /> },
    {
      key: 'status',
      label: '档案状态',
      children: (
        <Space size={4} wrap>
          <FamilyStatusTag status={family.status} />
          {family.statusReason && (
            <Typography.Text type="secondary">
              {codeLabel(STATUS_REASON, family.statusReason)}
              {family.statusDate ? `（${formatDate(family.statusDate)}）` : ''}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { key: 'region', label: '户籍村（居）', children: family.regionName },
    { key: 'address', label: '详细地址', children: family.address },
    { key: 'currentAddress', label: '现居住地址', children: text(family.currentAddress) },
    { key: 'household', label: '家庭结构', children: codeLabel(HOUSEHOLD_STATUS, family.householdStatus) },
    { key: 'living', label: '居住状况', children: codeLabel(LIVING_SITUATION, family.livingSituation) },
    { key: 'economic', label: '经济状况', children: codeLabel(ECONOMIC_SITUATION, family.economicSituation) },
    { key: 'income', label: '家庭年收入', children: formatYuan(family.annualIncome) },
    { key: 'housing', label: '住房状况', children: codeLabel(HOUSING_SITUATION, family.housingSituation) },
    { key: 'honor', label: '光荣证号', children: text(family.honorCertificateNo) },
    {
      key: 'difficulty',
      label: '特殊困难家庭',
      children: family.isSpecialDifficulty ? <Tag color="red">是（县级领导联系）</Tag> : '否',
    },
    { key: 'enteredAt', label: '建档日期', children: formatDate(family.enteredAt) },
  ];
  if (family.statusNote) items.push({ key: 'statusNote', label: '状态说明', children: family.statusNote });
  return (
    <SectionCard id="family" title="家庭信息">
      <Descriptions size="small" column={DESCRIPTION_COLUMNS} items={items} />
    </SectionCard>
  );
}

function MemberDescriptions({ family, member, index }: { family: FamilyDetail; member: Member; index: number }) {
  const who = RELATION_LABELS[member.relation];
  const canReveal = family.abilities.reveal;
  const items: DescriptionsProps['items'] = [
    {
      key: 'idNumber',
      label: '身份证号',
      children: (
        <MaskedValue
          familyId={family.id}
          field={`members.${index as 0 | 1}.idNumber`}
          label={`${who}身份证号`}
          masked={member.idNumber}
          canReveal={canReveal}
        />
      ),
    },
    { key: 'sex', label: '性别', children: SEX_LABELS[member.sex] },
    {
      key: 'birthDate',
      label: '出生日期',
      // A role that may not reveal gets the birth year only (common/mask.ts): the age is then approximate.
      children:
        member.birthDate.length === 4
          ? `${formatDate(member.birthDate)}（约 ${ageOn(`${member.birthDate}-07-01`, member.deathDate ?? undefined)} 岁）`
          : `${formatDate(member.birthDate)}（${ageOn(member.birthDate, member.deathDate ?? undefined)} 岁）`,
    },
    {
      key: 'phone',
      label: '联系电话',
      children: (
        <MaskedValue
          familyId={family.id}
          field={`members.${index as 0 | 1}.phone`}
          label={`${who}电话`}
          masked={member.phone}
          canReveal={canReveal}
        />
      ),
    },
    { key: 'ethnicity', label: '民族', children: codeLabel(ETHNICITY, member.ethnicity) },
    { key: 'education', label: '文化程度', children: codeLabel(EDUCATION, member.education) },
    { key: 'marital', label: '婚姻状况', children: codeLabel(MARITAL_STATUS, member.maritalStatus) },
    { key: 'health', label: '健康状况', children: codeLabel(HEALTH, member.health) },
    { key: 'selfCare', label: '生活自理能力', children: codeLabel(SELF_CARE, member.selfCare) },
    { key: 'mental', label: '精神状态', children: codeLabel(MENTAL_STATE, member.mentalState) },
    { key: 'pension', label: '养老保险', children: codeLabel(INSURANCE, member.pensionInsurance) },
    { key: 'medical', label: '医疗保险', children: codeLabel(INSURANCE, member.medicalInsurance) },
  ];
  if (member.isDeceased) items.push({ key: 'death', label: '死亡日期', children: formatDate(member.deathDate) });
  return (
    <Descriptions
      size="small"
      column={DESCRIPTION_COLUMNS}
      title={
        <Space size={8}>
          <span>
            {who}：{member.name}
          </span>
          {member.isDeceased && <Tag>已故</Tag>}
        </Space>
      }
      items={items}
    />
  );
}

export function MembersSection({ family }: { family: FamilyDetail }) {
  return (
    <SectionCard id="members" title="父母">
      <Flex vertical gap={16}>
        {family.members.map((member, index) => (
          <MemberDescriptions key={member.id} family={family} member={member} index={index} />
        ))}
      </Flex>
    </SectionCard>
  );
}

export function ChildSection({ family }: { family: FamilyDetail }) {
  const child = family.child;
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: '姓名', children: text(child.name) },
    { key: 'relation', label: '与父母关系', children: codeLabel(CHILD_RELATION, child.relation) },
    { key: 'sex', label: '性别', children: SEX_LABELS[child.sex] },
    { key: 'birthDate', label: '出生日期', children: formatDate(child.birthDate) },
    {
      key: 'idNumber',
      label: '身份证号',
      children: (
        <MaskedValue
          familyId={family.id}
          field="child.idNumber"
          label="子女身份证号"
          masked={child.idNumber}
          canReveal={family.abilities.reveal}
        />
      ),
    },
  ];
  if (family.familyType === 'bereaved') {
    items.push(
      { key: 'deathDate', label: '死亡日期', children: formatDate(child.deathDate) },
      { key: 'deathCause', label: '死亡原因', children: codeLabel(DEATH_CAUSE, child.deathCause) },
    );
  } else {
    items.push(
      {
        key: 'cert',
        label: '残疾人证号',
        children: (
          <MaskedValue
            familyId={family.id}
            field="child.disabilityCertNo"
            label="子女残疾人证号"
            masked={child.disabilityCertNo}
            canReveal={family.abilities.reveal}
          />
        ),
      },
      { key: 'category', label: '残疾类别', children: codeLabel(DISABILITY_CATEGORY, child.disabilityCategory) },
      { key: 'grade', label: '残疾等级', children: child.disabilityGrade ? `${child.disabilityGrade} 级` : '—' },
      { key: 'recovered', label: '是否康复', children: yesNo(child.isRecovered) },
    );
  }
  return (
    <SectionCard id="child" title="独生子女">
      <Descriptions size="small" column={DESCRIPTION_COLUMNS} items={items} />
    </SectionCard>
  );
}

export function SpecialAssistanceSection({ family }: { family: FamilyDetail }) {
  const sa = family.specialAssistance;
  return (
    <SectionCard
      id="special-assistance"
      title="特别扶助"
      extra={sa.isEligible ? <Tag color="green">符合条件</Tag> : <Tag>不符合条件</Tag>}
    >
      {!sa.isEligible && sa.reason && (
        <Typography.Paragraph>
          <Typography.Text type="secondary">原因：</Typography.Text>
          {sa.reason}
        </Typography.Paragraph>
      )}
      {sa.eligibleFrom && (
        <Typography.Paragraph>
          <Typography.Text type="secondary">符合条件起始日期：</Typography.Text>
          {formatDate(sa.eligibleFrom)}
        </Typography.Paragraph>
      )}
      <RecordList
        items={sa.persons.map((p) => ({
          key: p.relation,
          title: (
            <>
              {RELATION_LABELS[p.relation]} {p.name}
              {p.isEligible ? <Tag color="green">符合</Tag> : <Tag>不符合</Tag>}
              <Typography.Text strong>{formatYuan(p.monthlyAmount)}/月</Typography.Text>
            </>
          ),
          detail: !p.isEligible && p.reason ? p.reason : undefined,
        }))}
      />
      <Flex wrap gap={16} style={{ marginTop: 12 }}>
        <span>
          <Typography.Text type="secondary">全家每月合计：</Typography.Text>
          <Typography.Text strong>{formatYuan(sa.monthlyTotal)}</Typography.Text>
        </span>
        {sa.rates.length > 0 && (
          <span>
            <Typography.Text type="secondary">适用标准：</Typography.Text>
            {sa.rates.map((r) => `${r.label} ${formatYuan(r.amount)}/人/月`).join('；')}
          </span>
        )}
      </Flex>
    </SectionCard>
  );
}

export function AssistanceSection({ family, extra }: { family: FamilyDetail; extra?: React.ReactNode }) {
  return (
    <SectionCard id="assistance" title="扶助记录" extra={extra}>
      {family.assistance.length === 0 ? (
        <NoneYet text="暂无扶助记录" />
      ) : (
        <RecordList
          items={family.assistance.map((a: AssistanceRecord) => ({
            key: a.id,
            title: (
              <>
                {codeLabel(ASSISTANCE_ITEM, a.item)}
                <Typography.Text strong>{formatYuan(a.amount)}</Typography.Text>
              </>
            ),
            detail: [
              `${formatMonth(a.periodFrom)}${a.periodTo ? ` 至 ${formatMonth(a.periodTo)}` : ' 起'}`,
              a.source ? `${codeLabel(FUND_SOURCE, a.source)}资金` : null,
              a.note,
            ]
              .filter(Boolean)
              .join('；'),
          }))}
        />
      )}
    </SectionCard>
  );
}
