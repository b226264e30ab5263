import { useState } from 'react';
import { Alert, Badge, Card, Empty, Flex, List, Space, Tag, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api/client';
import { useNoticeBoard } from '../../api/notices';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { usePageTitle } from '../../components/use-page-title';
import { CONFIDENTIALITY_LABELS, formatTime } from './notice-labels';

/** 公告栏: what the user's county published, for its contacts and staff, unread ones marked. */
export default function NoticeBoardPage() {
  usePageTitle('公告栏');
  const user = useCurrentUser();
  const [page, setPage] = useState(1);
  const board = useNoticeBoard(page);
  const list = board.data?.data ?? [];
  const unread = list.filter((n) => !n.isRead).length;
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        公告栏
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        本县（市、区）卫生健康部门经审批发布的通知公告。打开后请点击“我已阅读”。
      </Typography.Paragraph>
      {board.isError && <Alert type="error" showIcon title={errorMessage(board.error)} />}
      <Card size="small" title={unread > 0 ? `本页未读 ${unread} 条` : '全部已读'} data-testid="notice-board">
        {!board.isPending && list.length === 0 ? (
          <Empty description={`${user.regionName}暂无已发布的公告`} />
        ) : (
          <List
            loading={board.isPending}
            dataSource={list}
            pagination={
              (board.data?.page.total ?? 0) > 20
                ? { current: page, pageSize: 20, total: board.data?.page.total, onChange: setPage }
                : false
            }
            renderItem={(n) => (
              <List.Item
                actions={[
                  <LinkButton key="open" size="small" to={`/notices/${n.id}`}>
                    查看
                  </LinkButton>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={6} wrap>
                      {!n.isRead && <Badge status="error" />}
                      <LinkButton
                        type="link"
                        size="small"
                        to={`/notices/${n.id}`}
                        style={{ padding: 0, whiteSpace: 'normal' }}
                      >
                        {n.title}
                      </LinkButton>
                      {n.isRead ? <Tag>已读</Tag> : <Tag color="red">未读</Tag>}
                      {n.confidentiality === 'internal' && <Tag color="orange">{CONFIDENTIALITY_LABELS.internal}</Tag>}
                      {n.attachments.length > 0 && (
                        <Tag icon={<PaperClipOutlined />} bordered={false}>
                          {n.attachments.length}
                        </Tag>
                      )}
                    </Space>
                  }
                  description={`${n.regionName} · 发布于 ${formatTime(n.publishedAt)}`}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </Flex>
  );
}
