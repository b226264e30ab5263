import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Form,
  Input,
  List,
  Radio,
  Tag,
  Typography,
} from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import dayjs from 'dayjs';
import {
  KNOWS_CONTACTS,
  KNOWS_CONTACTS_LABELS,
  LAST_HOME_VISIT_LABELS,
  LAST_HOME_VISITS,
  POST_LABELS,
  SURVEY_ATTEMPT_OUTCOME_LABELS,
  SURVEY_CONTACT_MODE_LABELS,
  SURVEY_CONTACT_MODES,
  SURVEY_MAX_ATTEMPTS,
  SURVEY_MODE_LABELS,
} from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import {
  useRecordResponse,
  useRevealSurveyPhone,
  useSurveyFamily,
  type SurveyAnswers,
  type SurveyResponseResult,
} from '../../api/sample-surveys';
import { applyServerErrors } from '../../components/form-errors';
import { usePageTitle } from '../../components/use-page-title';
import { FAMILY_TYPE_LABELS, SurveyStatusTag } from './survey-labels';

const RELATION_LABELS: Record<string, string> = { father: '父亲', mother: '母亲' };

interface FormValues extends Omit<SurveyAnswers, 'needsRaised' | 'needsResolved' | 'festivalCare'> {
  festivalCare: 'yes' | 'no';
  needsRaised: 'yes' | 'no';
  needsResolved?: 'yes' | 'no';
}

const vertical = { display: 'flex', flexDirection: 'column' as const, gap: 8 };

function Discrepancies({ items }: { items: SurveyResponseResult['discrepancies'] }) {
  if (!items.length) return <Alert type="success" showIcon title="回答与工作记录一致，未发现差异" />;
  return (
    <Alert
      type="warning"
      showIcon
      title={`发现 ${items.length} 处与工作记录不一致，已交县级核实说明`}
      description={
        <List
          size="small"
          dataSource={items}
          renderItem={(d) => <List.Item data-testid="discrepancy">{d.message}</List.Item>}
        />
      }
    />
  );
}

/** The phone-friendly form: call the family, record an unanswered attempt or the answers. */
export default function SurveyFormPage() {
  usePageTitle('电话访问');
  const { id = '', familyId = '' } = useParams();
  const { message } = App.useApp();
  const q = useSurveyFamily(id, familyId);
  const record = useRecordResponse(id);
  const reveal = useRevealSurveyPhone(id, familyId);
  const [form] = Form.useForm<FormValues>();
  const [mode, setMode] = useState<'phone' | 'visit'>('phone');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<SurveyResponseResult | null>(null);
  const needsRaised = Form.useWatch('needsRaised', form);
  const f = q.data;

  if (q.isError) return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  if (!f) return <Card loading />;

  async function attempt(outcome: 'no_answer' | 'refused' | 'wrong_number') {
    setError(null);
    try {
      const r = await record.mutateAsync({ familyId, mode, reached: false, outcome });
      setResult(r);
      void message.info(
        r.status === 'pending'
          ? `已记录第 ${r.attempts} 次未接通，请稍后再拨`
          : r.replacement
            ? '该家庭已标记为无法联系，已递补一户新样本'
            : '已记录',
      );
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function submit(v: FormValues) {
    setError(null);
    const answers: SurveyAnswers = {
      knowsContacts: v.knowsContacts,
      contactModes: v.contactModes ?? [],
      lastHomeVisit: v.lastHomeVisit,
      festivalCare: v.festivalCare === 'yes',
      needsRaised: v.needsRaised === 'yes',
      ...(v.needsRaised === 'yes' && v.needsResolved ? { needsResolved: v.needsResolved === 'yes' } : {}),
      satisfaction: v.satisfaction,
      ...(v.comment ? { comment: v.comment } : {}),
    };
    try {
      setResult(await record.mutateAsync({ familyId, mode, reached: true, answers }));
    } catch (err) {
      setError(
        applyServerErrors(form, err, ['knowsContacts', 'lastHomeVisit', 'festivalCare', 'satisfaction', 'comment']),
      );
    }
  }

  const finished = result ? result.status !== 'pending' : !f.canRecord;
  return (
    <Flex vertical gap={12} style={{ maxWidth: 720 }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {f.archiveNo}
        </Typography.Title>
        <Link to={`/sample-surveys/${id}/calls`}>返回访问列表</Link>
      </Flex>
      <Card size="small">
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="地址">
            {f.regionName} · {FAMILY_TYPE_LABELS[f.familyType]}
          </Descriptions.Item>
          <Descriptions.Item label="状态">
            <SurveyStatusTag status={result?.status ?? f.status} />
            {` 已尝试 ${result?.attempts ?? f.attempts}/${SURVEY_MAX_ATTEMPTS} 次`}
          </Descriptions.Item>
          {f.parents.map((p, i) => {
            const full = reveal.data?.phones.find((x) => x.name === p.name && x.relation === p.relation)?.phone;
            return (
              <Descriptions.Item key={i} label={RELATION_LABELS[p.relation] ?? p.relation}>
                <Flex gap={8} wrap>
                  <span>{p.name}</span>
                  {full ? <a href={`tel:${full}`}>{full}</a> : <span>{p.phoneMask ?? '无电话'}</span>}
                </Flex>
              </Descriptions.Item>
            );
          })}
        </Descriptions>
        {f.canRevealPhone && !reveal.data && (
          <Button
            icon={<PhoneOutlined />}
            onClick={() => reveal.mutate()}
            loading={reveal.isPending}
            data-testid="reveal-phone"
          >
            查看完整电话（记录审计）
          </Button>
        )}
        {reveal.isError && <Alert type="error" showIcon title={errorMessage(reveal.error)} />}
      </Card>
      <Card size="small" title="该家庭的联系人（可按姓名或岗位询问）">
        {f.contacts.length ? (
          <Flex wrap gap={8}>
            {f.contacts.map((c, i) => (
              <Tag key={i}>
                {POST_LABELS[c.post]}：{c.name}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">档案中未登记联系人</Typography.Text>
        )}
      </Card>
      {f.attemptsLog.length > 0 && (
        <Card size="small" title="联系记录">
          {f.attemptsLog.map((a, i) => (
            <div key={i}>
              {dayjs(a.attemptedAt).format('MM-DD HH:mm')} {SURVEY_MODE_LABELS[a.mode]}{' '}
              {SURVEY_ATTEMPT_OUTCOME_LABELS[a.outcome]}
            </div>
          ))}
        </Card>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {result?.answers && <Discrepancies items={result.discrepancies} />}
      {!result && f.response && <Discrepancies items={f.response.discrepancies} />}
      {result?.replacement && (
        <Alert
          type="info"
          showIcon
          title="已按规则递补一户"
          action={<Link to={`/sample-surveys/${id}/families/${result.replacement.familyId}`}>去访问</Link>}
        />
      )}
      {!finished && (
        <>
          <Card size="small" title="联系情况">
            <Flex vertical gap={12}>
              <Radio.Group
                value={mode}
                onChange={(e) => setMode(e.target.value)}
                optionType="button"
                buttonStyle="solid"
              >
                <Radio.Button value="phone">电话</Radio.Button>
                <Radio.Button value="visit">入户</Radio.Button>
              </Radio.Group>
              <Flex gap={8} wrap>
                <Button onClick={() => void attempt('no_answer')} loading={record.isPending}>
                  未接通
                </Button>
                <Button onClick={() => void attempt('wrong_number')} loading={record.isPending}>
                  号码错误
                </Button>
                <Button danger onClick={() => void attempt('refused')} loading={record.isPending}>
                  拒绝受访
                </Button>
              </Flex>
            </Flex>
          </Card>
          <Card size="small" title="已联系上：调查问卷">
            <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ contactModes: [] }}>
              <Form.Item
                name="knowsContacts"
                label="1. 是否认识乡镇和村两级联系人？"
                rules={[{ required: true, message: '请选择' }]}
              >
                <Radio.Group style={vertical}>
                  {KNOWS_CONTACTS.map((k) => (
                    <Radio key={k} value={k}>
                      {KNOWS_CONTACTS_LABELS[k]}
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item name="contactModes" label="2. 近三个月联系人是怎样联系您的？（可多选）">
                <Checkbox.Group style={vertical}>
                  {SURVEY_CONTACT_MODES.map((m) => (
                    <Checkbox key={m} value={m}>
                      {SURVEY_CONTACT_MODE_LABELS[m]}
                    </Checkbox>
                  ))}
                </Checkbox.Group>
              </Form.Item>
              <Form.Item
                name="lastHomeVisit"
                label="3. 最近一次有人登门走访是什么时候？"
                rules={[{ required: true, message: '请选择' }]}
              >
                <Radio.Group style={vertical}>
                  {LAST_HOME_VISITS.map((k) => (
                    <Radio key={k} value={k}>
                      {LAST_HOME_VISIT_LABELS[k]}
                    </Radio>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item
                name="festivalCare"
                label="4. 上一个节日是否收到慰问？"
                rules={[{ required: true, message: '请选择' }]}
              >
                <Radio.Group>
                  <Radio value="yes">收到</Radio>
                  <Radio value="no">没有</Radio>
                </Radio.Group>
              </Form.Item>
              <Form.Item
                name="needsRaised"
                label="5. 是否向联系人提出过诉求？"
                rules={[{ required: true, message: '请选择' }]}
              >
                <Radio.Group>
                  <Radio value="yes">提出过</Radio>
                  <Radio value="no">没有</Radio>
                </Radio.Group>
              </Form.Item>
              {needsRaised === 'yes' && (
                <Form.Item
                  name="needsResolved"
                  label="5a. 诉求是否得到解决？"
                  rules={[{ required: true, message: '请选择' }]}
                >
                  <Radio.Group>
                    <Radio value="yes">已解决</Radio>
                    <Radio value="no">没有解决</Radio>
                  </Radio.Group>
                </Form.Item>
              )}
              <Form.Item
                name="satisfaction"
                label="6. 对联系人工作的满意度（1 很不满意 … 5 很满意）"
                rules={[{ required: true, message: '请选择满意度' }]}
              >
                <Radio.Group optionType="button" buttonStyle="solid">
                  {[1, 2, 3, 4, 5].map((n) => (
                    <Radio.Button key={n} value={n}>
                      {n}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item name="comment" label="7. 其他意见和建议">
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={record.isPending} data-testid="submit-answers">
                提交问卷
              </Button>
            </Form>
          </Card>
        </>
      )}
    </Flex>
  );
}
