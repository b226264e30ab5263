import { useState } from 'react';
import { Alert, Card, Empty, Flex, List, Segmented, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { useSurveyFamilies } from '../../api/sample-surveys';
import { usePageTitle } from '../../components/use-page-title';
import { FAMILY_TYPE_LABELS, SurveyStatusTag } from './survey-labels';

/** The surveyor's phone list: the families assigned to them, those still to reach first. */
export default function SurveyCallsPage() {
  usePageTitle('我的电话访问');
  const { id = '' } = useParams();
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const q = useSurveyFamilies(id, {
    page: 1,
    pageSize: 200,
    mine: 'true',
    status: status === 'pending' ? 'pending' : undefined,
  });
  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          我的电话访问
        </Typography.Title>
        <Segmented
          value={status}
          onChange={(v) => setStatus(v as 'pending' | 'all')}
          options={[
            { value: 'pending', label: '待访问' },
            { value: 'all', label: '全部' },
          ]}
        />
      </Flex>
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      <Card size="small" loading={q.isPending} styles={{ body: { padding: 0 } }}>
        {q.data && q.data.data.length === 0 ? (
          <Empty
            style={{ padding: 24 }}
            description={status === 'pending' ? '没有待访问的家庭' : '没有分派给您的家庭'}
          />
        ) : (
          <List
            data-testid="call-list"
            dataSource={q.data?.data ?? []}
            renderItem={(f) => (
              <Link to={`/sample-surveys/${id}/families/${f.familyId}`} style={{ color: 'inherit', display: 'block' }}>
                <List.Item style={{ padding: '12px 16px' }} extra={<RightOutlined />}>
                  <List.Item.Meta
                    title={
                      <Flex gap={8} wrap align="center">
                        <span>{f.archiveNo}</span>
                        <SurveyStatusTag status={f.status} />
                      </Flex>
                    }
                    description={
                      <span>
                        {f.regionName} · {FAMILY_TYPE_LABELS[f.familyType]} · {f.phoneMask ?? '无电话'}
                        {f.attempts > 0 ? ` · 已尝试 ${f.attempts} 次` : ''}
                        {f.isReserve ? ' · 递补' : ''}
                      </span>
                    }
                  />
                </List.Item>
              </Link>
            )}
          />
        )}
      </Card>
    </Flex>
  );
}
