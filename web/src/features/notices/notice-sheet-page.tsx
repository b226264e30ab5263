import { useParams, useSearchParams } from 'react-router';
import { Alert, Button, Space } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { CHANNEL_KIND_LABELS, type ChannelKind } from '../../../../common/labels';
import { errorMessage } from '../../api/client';
import { useChannels } from '../../api/channels';
import { useNotice, useNoticeDeliveries } from '../../api/notices';
import { LinkButton } from '../../components/link-button';
import { PageSpin } from '../../components/page-spin';
import { usePageTitle } from '../../components/use-page-title';
import { formatTime } from './notice-labels';
import './notice-sheet.css';

/**
 * 张贴单: for a QQ or WeChat group (no push interface), the approved text to paste, the group and its
 * administrators, and the lines the administrator signs once it is posted; printed on A4 and filed.
 */
export default function NoticeSheetPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const channelId = params.get('channel') ?? '';
  const notice = useNotice(id);
  const deliveries = useNoticeDeliveries(id, true);
  const channels = useChannels(notice.data?.regionCode, !!notice.data);
  usePageTitle('公告张贴单');
  if (notice.isPending || deliveries.isPending) return <PageSpin />;
  if (notice.isError) return <Alert type="error" showIcon title={errorMessage(notice.error)} />;
  if (deliveries.isError) return <Alert type="error" showIcon title={errorMessage(deliveries.error)} />;
  const d = deliveries.data.find((x) => x.channelId === channelId && x.mode === 'manual');
  if (!d) return <Alert type="warning" showIcon title="该群不需要手工张贴，或公告未发到该群" />;
  const ch = channels.data?.find((c) => c.id === channelId);
  const n = notice.data;
  return (
    <div className="notice-sheet" data-testid="notice-sheet">
      <Space className="notice-sheet-toolbar" wrap>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          打印
        </Button>
        <LinkButton to={`/notices/${n.id}`}>返回公告</LinkButton>
      </Space>
      <h1>通知公告张贴单</h1>
      <div className="notice-sheet-meta">
        <span>发布单位：{n.regionName}</span>
        <span>
          群：{d.channelName}（{CHANNEL_KIND_LABELS[d.kind as ChannelKind] ?? d.kind}
          {ch?.number ? ` ${ch.number}` : ''}）
        </span>
        <span>审批人：{n.approverName ?? '—'}</span>
        <span>审批时间：{formatTime(n.approvedAt)}</span>
        {ch && ch.admins.length > 0 && <span>群管理员：{ch.admins.map((a) => a.name).join('、')}</span>}
      </div>
      <p>请将下框内的文字原样贴到群里（不要增删）：</p>
      <div className="notice-sheet-text">{d.pasteText}</div>
      <div className="notice-sheet-sign">
        {d.postedByName ? (
          <span>
            已张贴：{d.postedByName}，{formatTime(d.postedAt)}
          </span>
        ) : (
          <>
            <span>张贴人：＿＿＿＿＿＿</span>
            <span>张贴时间：＿＿＿＿年＿＿月＿＿日＿＿时</span>
          </>
        )}
      </div>
    </div>
  );
}
