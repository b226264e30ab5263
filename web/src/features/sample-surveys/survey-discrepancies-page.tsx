import { useState } from 'react';
import { Alert, App, Button, Card, Flex, List, Segmented, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { DISCREPANCY_CODE_LABELS, DISCREPANCY_STATUS_LABELS } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useExplainDiscrepancy, useSurveyDiscrepancies, type SurveyDiscrepancy } from '../../api/sample-surveys';
import { useCurrentUser } from '../../app/auth-context';
import { ReasonModal } from '../../components/reason-modal';
import { usePageTitle } from '../../components/use-page-title';

/** 调查差异说明: what the families said against the county's records; the county explains each one. */
export default function SurveyDiscrepanciesPage() {
  usePageTitle('调查差异说明');
  const user = useCurrentUser();
  const { message } = App.useApp();
  const canExplain = user.abilities.includes('surveyDiscrepancy.explain');
  const [status, setStatus] = useState<'open' | 'explained' | 'all'>('open');
  const [page, setPage] = useState(1);
  const q = useSurveyDiscrepancies({ page, pageSize: 50, status: status === 'all' ? undefined : status });
  const explain = useExplainDiscrepancy();
  const [editing, setEditing] = useState<SurveyDiscrepancy | null>(null);

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          调查差异说明
        </Typography.Title>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as typeof status);
            setPage(1);
          }}
          options={[
            { value: 'open', label: '待说明' },
            { value: 'explained', label: '已说明' },
            { value: 'all', label: '全部' },
          ]}
        />
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        省级抽样调查中，家庭的回答与系统中的工作记录不一致之处。请逐条核实，写明原因和整改情况。
      </Typography.Paragraph>
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <List
          loading={q.isPending}
          dataSource={q.data?.data ?? []}
          locale={{ emptyText: '没有差异' }}
          pagination={
            (q.data?.page.total ?? 0) > 50
              ? { current: page, pageSize: 50, total: q.data?.page.total, onChange: setPage }
              : undefined
          }
          renderItem={(d) => (
            <List.Item
              style={{ padding: '12px 16px', alignItems: 'flex-start' }}
              data-testid="discrepancy-item"
              actions={
                canExplain && d.status === 'open'
                  ? [
                      <Button
                        key="explain"
                        size="small"
                        onClick={() => {
                          setEditing(d);
                        }}
                      >
                        说明
                      </Button>,
                    ]
                  : undefined
              }
            >
              <List.Item.Meta
                title={
                  <Flex gap={8} wrap align="center">
                    <span>{d.archiveNo}</span>
                    <Tag>{DISCREPANCY_CODE_LABELS[d.code]}</Tag>
                    <Tag color={d.status === 'open' ? 'orange' : 'green'}>{DISCREPANCY_STATUS_LABELS[d.status]}</Tag>
                  </Flex>
                }
                description={
                  <Flex vertical gap={4}>
                    <span>
                      {d.regionName} · {d.surveyYear} 年抽样调查 · {dayjs(d.createdAt).format('YYYY-MM-DD')}
                    </span>
                    <Typography.Text>{d.message}</Typography.Text>
                    {d.explanation && <Typography.Text type="success">县级说明：{d.explanation}</Typography.Text>}
                  </Flex>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      <ReasonModal
        key={editing?.id}
        open={!!editing}
        title="说明差异"
        okText="提交说明"
        label="说明"
        description={editing?.message}
        rows={4}
        maxLength={2000}
        placeholder="核实情况、原因和整改措施"
        loading={explain.isPending}
        onSubmit={async (explanation) => {
          if (!editing) return;
          await explain.mutateAsync({ id: editing.id, version: editing.version, explanation });
          void message.success('已提交说明');
          setEditing(null);
        }}
        onClose={() => setEditing(null)}
      />
    </Flex>
  );
}
