import { useState } from 'react';
import { Alert, App, Button, Card, Space, Table, Tag, Typography, Upload } from 'antd';
import { CloudDownloadOutlined, DiffOutlined, SaveOutlined } from '@ant-design/icons';
import {
  compareManifests,
  COUNTY_COPY_FORMAT,
  type CountyCopyDiff,
  type CountyCopyManifest,
} from '../../../../common/schemas/county-copy';
import { errorMessage } from '../../api/client';
import { downloadCountyCopy, useCountyCopyManifest } from '../../api/county-copy';
import { useCurrentUser } from '../../app/auth-context';
import { usePageTitle } from '../../components/use-page-title';

/** Chinese names of the tables a copy holds (the rest show their table name). */
const TABLE_LABELS: Record<string, string> = {
  families: '家庭档案',
  family_members: '家庭成员',
  family_children: '子女情况',
  family_assistance: '扶助金发放',
  family_history: '档案变更记录',
  family_medical_services: '家庭医生与就医绿色通道',
  family_imports: '档案导入',
  assistance_rates: '扶助标准',
  contacts: '联系人',
  assignments: '联系人分工',
  contact_logs: '联系记录',
  contact_log_revisions: '联系记录修改',
  major_events: '重大事项',
  event_escalations: '重大事项督办',
  festival_care: '节日慰问',
  needs: '诉求',
  petition_risks: '信访风险',
  petition_events: '信访事件',
  petition_handlings: '信访处置',
  liaisons: '联络员',
  liaison_reports: '联络员报告',
  liaison_subsidies: '联络员补贴',
  partner_organizations: '结对单位',
  pairings: '结对帮扶',
  pairing_activities: '帮扶活动',
  trainings: '培训',
  training_attendance: '培训签到',
  stat_returns: '统计报表',
  stat_return_events: '报表流转',
  channels: '工作群',
  notices: '通知',
  notice_steps: '通知审批',
  survey_discrepancies: '抽样调查差异',
};

const DIFF_TAGS: Record<CountyCopyDiff['status'], { color: string; text: string }> = {
  same: { color: 'default', text: '未变' },
  changed: { color: 'orange', text: '有变化' },
  added: { color: 'blue', text: '新增' },
  removed: { color: 'red', text: '已无' },
};

function saveManifest(m: CountyCopyManifest) {
  const blob = new Blob([JSON.stringify(m, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `县级电子备份清单-${m.regionName}-${m.generatedAt.slice(0, 10)}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export default function CountyCopyPage() {
  usePageTitle('县级电子备份');
  const { message } = App.useApp();
  const user = useCurrentUser();
  const manifest = useCountyCopyManifest(user?.regionCode);
  const [downloading, setDownloading] = useState(false);
  const [earlier, setEarlier] = useState<CountyCopyManifest | null>(null);
  const m = manifest.data;
  const diff = m && earlier ? compareManifests(earlier, m) : null;

  const readEarlier = async (file: File) => {
    try {
      const parsed = JSON.parse(await file.text()) as CountyCopyManifest;
      if (parsed?.format !== COUNTY_COPY_FORMAT || !Array.isArray(parsed.tables)) throw new Error('format');
      if (m && parsed.regionCode !== m.regionCode) {
        void message.error('这份清单不是本县的');
        return false;
      }
      setEarlier(parsed);
    } catch {
      void message.error('不是县级电子备份清单文件');
    }
    return false;
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        县级电子备份
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        下载本县全部档案与工作记录：以 SM4 加密，内容密钥用本县 SM2 公钥封装并以本县密钥签名（GB/T 35275
        数字信封）。身份证号、电话仍为平台加密形式，不在备份中明文出现。每次下载都记入审计日志。请同时保存清单，下次下载后可逐表比较。
      </Typography.Paragraph>
      {manifest.isError && <Alert type="error" showIcon title={errorMessage(manifest.error)} />}
      {m && (
        <>
          <Space wrap>
            <Button
              type="primary"
              icon={<CloudDownloadOutlined />}
              loading={downloading}
              onClick={() => {
                setDownloading(true);
                downloadCountyCopy(m.regionCode)
                  .then(() => void message.success('已下载县级电子备份'))
                  .catch((e: unknown) => void message.error(errorMessage(e)))
                  .finally(() => setDownloading(false));
              }}
            >
              下载电子备份
            </Button>
            <Button icon={<SaveOutlined />} onClick={() => saveManifest(m)}>
              保存清单
            </Button>
            <Upload accept=".json,application/json" showUploadList={false} beforeUpload={readEarlier}>
              <Button icon={<DiffOutlined />}>与以前的清单比较</Button>
            </Upload>
          </Space>
          <Typography.Text type="secondary">
            {m.regionName}：{m.tables.length} 类记录，共 {m.totalRows} 条；内容摘要 SM3 {m.contentSm3.slice(0, 16)}…
            {earlier && `；对比 ${new Date(earlier.generatedAt).toLocaleString('zh-CN', { hour12: false })} 的清单`}
          </Typography.Text>
          <Card size="small" title={diff ? '与以前清单的比较' : '当前清单'}>
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={
                diff ?? m.tables.map((t) => ({ name: t.name, before: null, after: t.rows, status: 'same' as const }))
              }
              columns={[
                { title: '记录', dataIndex: 'name', render: (n: string) => TABLE_LABELS[n] ?? n },
                ...(diff ? [{ title: '以前', dataIndex: 'before', render: (v: number | null) => v ?? '—' }] : []),
                { title: diff ? '现在' : '条数', dataIndex: 'after', render: (v: number | null) => v ?? '—' },
                ...(diff
                  ? [
                      {
                        title: '比较',
                        dataIndex: 'status',
                        render: (s: CountyCopyDiff['status']) => (
                          <Tag color={DIFF_TAGS[s].color}>{DIFF_TAGS[s].text}</Tag>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
