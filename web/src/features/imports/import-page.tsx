import { useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Radio,
  Result,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { errorMessage, isApiError } from '../../api/client';
import {
  downloadFile,
  IMPORT_TEMPLATE_PATH,
  importErrorsPath,
  isFinished,
  useImportJob,
  useStartImport,
  type ImportJob,
  type ImportMode,
  type RowError,
} from '../../api/imports';
import { useCurrentUser } from '../../app/auth-context';
import { LinkButton } from '../../components/link-button';
import { usePageTitle } from '../../components/use-page-title';
import { FAMILY_IMPORTERS } from '../families/family-labels';

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = '.xlsx,.csv';

const MODE_LABELS: Record<ImportMode, string> = { validate: '仅校验', commit: '校验并导入' };

function useDownload() {
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, path: string, name: string) => {
    setBusy(key);
    try {
      await downloadFile(path, name);
    } catch (err) {
      message.error(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

function stageText(job: ImportJob): string {
  if (job.status === 'queued') return '排队中…';
  if (job.stage === 'committing') return '正在写入档案（全部成功或全部不写入）…';
  return '正在逐行校验…';
}

function JobProgress({ job }: { job: ImportJob }) {
  const percent = job.total > 0 ? Math.min(99, Math.floor((job.processed / job.total) * 100)) : 0;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Typography.Paragraph>
        {MODE_LABELS[job.mode]}「{job.fileName}」：{stageText(job)}
      </Typography.Paragraph>
      <Progress percent={percent} status="active" aria-label="导入进度" />
      <Typography.Text type="secondary">
        {job.total > 0 ? `已处理 ${job.processed} / ${job.total} 行` : '正在读取文件…'}
        。可以离开本页，稍后回来查看结果。
      </Typography.Text>
    </Card>
  );
}

function RowErrorTable({ rows, empty }: { rows: RowError[]; empty: string }) {
  return (
    <Table<RowError>
      rowKey={(r) => `${r.row}:${r.field}:${r.message}`}
      size="small"
      dataSource={rows}
      tableLayout="fixed"
      locale={{ emptyText: empty }}
      pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 条` }}
      columns={[
        // Narrow fixed columns and a wrapping reason: the whole message fits a phone without sideways scrolling.
        { title: '行号', dataIndex: 'row', key: 'row', width: 56 },
        { title: '列', dataIndex: 'field', key: 'field', width: 112 },
        { title: '原因', dataIndex: 'message', key: 'message' },
      ]}
    />
  );
}

function JobResult({ job, onCommit, canCommit }: { job: ImportJob; onCommit: () => void; canCommit: boolean }) {
  const download = useDownload();
  if (job.status === 'failed')
    return (
      <Alert
        type="error"
        showIcon
        title="导入未完成，没有写入任何档案"
        description={job.message ?? '处理文件时出错，请检查文件后重新上传。'}
        style={{ marginBottom: 16 }}
      />
    );
  const isCommit = job.mode === 'commit';
  const ok = job.rejected === 0;
  // Nothing new in the file (only the template's examples, or every family already archived): say so,
  // and offer no import of nothing.
  const nothing = ok && job.accepted === 0;
  let title: string;
  let description: string | undefined;
  if (nothing) {
    title = isCommit ? '没有新建档案：文件中没有需要导入的新家庭' : '文件中没有可以导入的新家庭';
    description =
      job.total === 0
        ? '文件中只有模板的示例行（或没有数据行）。请在示例行下方逐行填写家庭信息后再上传。'
        : `${job.skipped} 行的家庭已建档，无需再次导入；见下方“跳过”。`;
  } else if (isCommit) title = ok ? `导入完成：新建 ${job.accepted} 户档案` : '有错误，本次没有导入任何档案';
  else title = ok ? `校验通过：${job.accepted} 户可以导入` : `校验发现 ${job.rejected} 行有错误`;
  if (!nothing)
    description = ok
      ? isCommit
        ? undefined
        : '确认无误后选择“校验并导入”正式写入。'
      : '请按下表或错误清单修改文件后重新上传；导入时全部正确才会写入。';
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="import-result">
      <Alert
        type={nothing ? 'info' : ok ? 'success' : 'error'}
        showIcon
        title={title}
        description={description}
        style={{ marginBottom: 16 }}
      />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} sm={6}>
          <Statistic title="数据行" value={job.total} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title={isCommit ? '已导入' : '可导入'} value={job.accepted} />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic
            title="有错误"
            value={job.rejected}
            styles={{ content: job.rejected ? { color: '#cf1322' } : {} }}
          />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic title="已建档跳过" value={job.skipped} />
        </Col>
      </Row>
      <Space wrap style={{ marginBottom: 12 }}>
        {job.hasErrorFile && (
          <Button
            icon={<DownloadOutlined />}
            loading={download.busy === 'errors'}
            onClick={() => download.run('errors', importErrorsPath(job.id), '导入错误清单.xlsx')}
          >
            下载错误清单（xlsx）
          </Button>
        )}
        {!isCommit && ok && job.accepted > 0 && canCommit && (
          <Button type="primary" onClick={onCommit}>
            导入这个文件
          </Button>
        )}
        {isCommit && ok && <LinkButton to="/families">查看档案列表</LinkButton>}
      </Space>
      {job.isTruncated && (
        <Alert
          type="warning"
          showIcon
          title="错误较多，下表只列出前 1000 条；完整情况请下载错误清单。"
          style={{ marginBottom: 12 }}
        />
      )}
      <Tabs
        items={[
          {
            key: 'errors',
            label: `错误（${job.errors.length}）`,
            children: <RowErrorTable rows={job.errors} empty="没有错误" />,
          },
          {
            key: 'skips',
            label: `跳过（${job.skips.length}）`,
            children: <RowErrorTable rows={job.skips} empty="没有跳过的行" />,
          },
        ]}
      />
    </Card>
  );
}

/** 批量导入 (issue 3 part 7): template, upload, validate or import, progress, and every bad row with its reason. */
export default function ImportPage() {
  usePageTitle('批量导入档案');
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? undefined;
  const job = useImportJob(jobId);
  const start = useStartImport();
  const download = useDownload();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('validate');
  const [error, setError] = useState<string | null>(null);

  if (!FAMILY_IMPORTERS.includes(user.role))
    return (
      <Result
        status="403"
        title="无权导入"
        subTitle="批量导入由乡镇（街道）工作人员办理。"
        extra={<LinkButton to="/families">返回档案列表</LinkButton>}
      />
    );

  const run = (chosen: ImportMode) => {
    if (!file) {
      setError('请先选择要上传的 .xlsx 或 .csv 文件');
      return;
    }
    setError(null);
    start.mutate(
      { file, mode: chosen },
      {
        onSuccess: (started) => setParams({ job: started.id }),
        onError: (err) => setError(errorMessage(err)),
      },
    );
  };

  const running = !!jobId && (job.isPending || (job.data && !isFinished(job.data)));

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          批量导入档案
        </Typography.Title>
        <LinkButton to="/families">返回档案列表</LinkButton>
      </Flex>

      <Card size="small" title="1. 下载模板，按模板填写" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          模板含填写说明、下拉选项和示例行（示例行不会导入）。父母至少填写一位的姓名和身份证号；已建档的家庭会自动跳过，不会重复建档。
        </Typography.Paragraph>
        <Button
          icon={<FileExcelOutlined />}
          loading={download.busy === 'template'}
          onClick={() => download.run('template', IMPORT_TEMPLATE_PATH, '特殊家庭导入模板.xlsx')}
        >
          下载导入模板
        </Button>
      </Card>

      <Card size="small" title="2. 上传文件，先校验再导入" style={{ marginBottom: 16 }}>
        <Upload.Dragger
          accept={ACCEPT}
          maxCount={1}
          multiple={false}
          fileList={[]}
          showUploadList={false}
          beforeUpload={(chosen) => {
            if (chosen.size > MAX_BYTES) setError('文件过大，最大 10 MB');
            else if (!/\.(xlsx|csv)$/i.test(chosen.name)) setError('只能上传 .xlsx 或 .csv 文件');
            else {
              setError(null);
              setFile(chosen);
            }
            return false;
          }}
          style={{ marginBottom: 12 }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? `已选择：${file.name}` : '点击或拖入文件'}</p>
          <p className="ant-upload-hint">支持 .xlsx 和 .csv，最大 10 MB，最多 20,000 行</p>
        </Upload.Dragger>
        <Flex wrap gap={12} align="center">
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as ImportMode)}
            options={[
              { value: 'validate', label: '仅校验（不写入）' },
              { value: 'commit', label: '校验并导入（全部正确才写入）' },
            ]}
          />
          <Button type="primary" loading={start.isPending} disabled={!!running} onClick={() => run(mode)}>
            开始{MODE_LABELS[mode]}
          </Button>
        </Flex>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} role="alert" />}
      </Card>

      {jobId && job.isError && (
        <Alert
          type="error"
          showIcon
          title={isApiError(job.error, 'NOT_FOUND') ? '未找到该导入任务' : errorMessage(job.error)}
          style={{ marginBottom: 16 }}
        />
      )}
      {job.data && !isFinished(job.data) && <JobProgress job={job.data} />}
      {job.data && isFinished(job.data) && (
        <JobResult job={job.data} canCommit={!!file} onCommit={() => run('commit')} />
      )}
    </>
  );
}
