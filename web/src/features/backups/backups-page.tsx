import { Alert, App, Button, Card, Col, Descriptions, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CloudUploadOutlined, ExperimentOutlined } from '@ant-design/icons';
import { BACKUP_CHECK_LABELS, BACKUP_TRIGGER_LABELS } from '../../../../common/schemas/backups';
import { errorMessage } from '../../api/client';
import { useBackupNow, useBackupStatus, useDrillNow, type BackupRun, type BackupStatus } from '../../api/backups';
import { usePageTitle } from '../../components/use-page-title';

const time = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).replace(/\//g, '-');

function size(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Verdict({ run }: { run: BackupRun }) {
  if (run.verdict === 'ok') return <Tag color="success">通过</Tag>;
  return (
    <Tag color="error" title={run.detail ?? undefined}>
      未通过：{BACKUP_CHECK_LABELS[run.verdict] ?? run.verdict}
    </Tag>
  );
}

function RunCard({
  title,
  last,
  lastOk,
  stale,
  warn,
}: {
  title: string;
  last: BackupRun | null;
  lastOk: BackupRun | null;
  stale: boolean;
  warn: string;
}) {
  return (
    <Card size="small" title={title} data-testid={`card-${title}`}>
      {stale && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={warn} />}
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: 'ok',
            label: '最近一次成功',
            children: lastOk
              ? `${time(lastOk.finishedAt)}（${BACKUP_TRIGGER_LABELS[lastOk.trigger as 'cli'] ?? lastOk.trigger}）`
              : '从未',
          },
          { key: 'file', label: '文件', children: lastOk?.file ?? '—' },
          { key: 'dur', label: '耗时', children: lastOk ? `${(lastOk.durationMs / 1000).toFixed(1)} 秒` : '—' },
          {
            key: 'last',
            label: '最近一次运行',
            children: last ? (
              <Space size={4} wrap>
                {time(last.finishedAt)}
                <Verdict run={last} />
              </Space>
            ) : (
              '从未'
            ),
          },
        ]}
      />
    </Card>
  );
}

function Settings({ s }: { s: BackupStatus }) {
  return (
    <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
      {s.intervalHours > 0
        ? `定时备份：每 ${s.intervalHours} 小时一次`
        : '未开启定时备份（BACKUP_INTERVAL_HOURS），可由计划任务执行 npm run backup'}
      ；
      {s.drillIntervalHours > 0
        ? `定时演练：每 ${s.drillIntervalHours} 小时一次`
        : '未开启定时演练（DRILL_INTERVAL_HOURS）'}
      ；保留最近 {s.keep} 份；备份超过 {s.warnBackupHours} 小时、演练超过 {s.warnDrillDays} 天未成功时提醒。
    </Typography.Paragraph>
  );
}

export default function BackupsPage() {
  usePageTitle('备份与恢复');
  const { message } = App.useApp();
  const status = useBackupStatus();
  const backupNow = useBackupNow();
  const drillNow = useDrillNow();
  const s = status.data;

  const runColumns: TableColumnsType<BackupRun> = [
    { title: '时间', dataIndex: 'finishedAt', render: (v: string) => time(v), width: 170 },
    { title: '类型', dataIndex: 'kind', render: (k: string) => (k === 'backup' ? '备份' : '恢复演练'), width: 90 },
    { title: '结果', key: 'verdict', render: (_: unknown, r) => <Verdict run={r} />, width: 200 },
    { title: '文件', dataIndex: 'file', render: (f: string | null) => f ?? '—', ellipsis: true },
    { title: '大小', dataIndex: 'bytes', render: (b: number | null) => size(b), width: 90 },
    { title: '耗时', dataIndex: 'durationMs', render: (ms: number) => `${(ms / 1000).toFixed(1)} 秒`, width: 90 },
    { title: '发起', dataIndex: 'trigger', render: (t: string) => BACKUP_TRIGGER_LABELS[t as 'cli'] ?? t, width: 90 },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        备份与恢复
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        备份文件以本部署主密钥派生的 SM4 密钥加密，附清单（各表行数与 SM3
        摘要、审计链头、数据库结构版本）。恢复演练把备份恢复到临时数据库，逐项校验后删除，结果记入审计日志。
      </Typography.Paragraph>
      {status.isError && <Alert type="error" showIcon title={errorMessage(status.error)} />}
      {s && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12}>
              <RunCard
                title="备份"
                last={s.lastBackup}
                lastOk={s.lastSuccessfulBackup}
                stale={s.backupStale}
                warn={s.lastSuccessfulBackup ? `最近一次成功备份已超过 ${s.warnBackupHours} 小时` : '尚无成功的备份'}
              />
            </Col>
            <Col xs={24} md={12}>
              <RunCard
                title="恢复演练"
                last={s.lastDrill}
                lastOk={s.lastSuccessfulDrill}
                stale={s.drillStale}
                warn={
                  s.lastSuccessfulDrill
                    ? `最近一次成功的恢复演练已超过 ${s.warnDrillDays} 天`
                    : '尚未做过成功的恢复演练'
                }
              />
            </Col>
          </Row>
          <Settings s={s} />
          <Space wrap>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              loading={backupNow.isPending}
              disabled={drillNow.isPending}
              onClick={() =>
                backupNow.mutate(undefined, {
                  onSuccess: (r) => void message.success(`备份完成：${r.file}`),
                  onError: (e) => void message.error(errorMessage(e)),
                })
              }
            >
              立即备份
            </Button>
            <Button
              icon={<ExperimentOutlined />}
              loading={drillNow.isPending}
              disabled={backupNow.isPending || s.files.length === 0}
              onClick={() =>
                drillNow.mutate(
                  {},
                  {
                    onSuccess: () => void message.success('恢复演练通过'),
                    onError: (e) => void message.error(errorMessage(e)),
                  },
                )
              }
            >
              对最新备份做恢复演练
            </Button>
          </Space>
          <Card size="small" title={`备份目录中的文件（${s.files.length}）`}>
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={s.files}
              columns={[
                { title: '文件', dataIndex: 'name' },
                { title: '时间', dataIndex: 'createdAt', render: (v: string) => time(v) },
                { title: '大小', dataIndex: 'bytes', render: (b: number) => size(b) },
              ]}
            />
          </Card>
          <Card size="small" title="最近的备份与演练">
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={s.runs}
              columns={runColumns}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
