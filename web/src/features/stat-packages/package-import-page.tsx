import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { CopyOutlined, InboxOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Table, Tag, Typography, Upload } from 'antd';
import { STAT_RETURN_STATUS_LABELS, STAT_TEMPLATE_LABELS } from '../../../../common/labels';
import type { StatReturnStatus, StatTemplate } from '../../../../common/labels';
import type { PackageAcceptResult, PackageImportResult } from '../../../../common/schemas/stat-packages';
import { errorMessage } from '../../api/client';
import { useAcceptPackage, useImportPackage, useRegionPublicKey, useRegisterPublicKey } from '../../api/stat-packages';
import { useCurrentUser } from '../../app/auth-context';
import { usePageTitle } from '../../components/use-page-title';

const MAX_BYTES = 1024 * 1024;
const REGION_CODE = /^\d{12}$/;

/**
 * 报表包导入: a receiving office (city or province) uploads the encrypted, signed package a lower level
 * sent, and sees who signed it and the figures, or why it was refused. Nothing is stored by importing.
 */
export default function PackageImportPage() {
  usePageTitle('报表包导入');
  const user = useCurrentUser();
  const importing = useImportPackage();
  const accepting = useAcceptPackage();
  const [result, setResult] = useState<PackageImportResult | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [accepted, setAccepted] = useState<PackageAcceptResult | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const upload = (file: File) => {
    setResult(null);
    setAccepted(null);
    setRefusal(null);
    setFile(file);
    if (file.size > MAX_BYTES) {
      setRefusal('文件过大：报表包不超过 1 MB，这不是报表包');
      return;
    }
    importing.mutate(file, {
      onSuccess: (verified) => setResult(verified),
      onError: (err) => setRefusal(errorMessage(err)),
    });
  };

  return (
    <>
      <Typography.Title level={3}>报表包导入</Typography.Title>
      <Card size="small" title="上传下级报送的加密报表包" style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">
          报表包为 GB/T 35275 签名数字信封（SM2 签名、SM4
          加密）。导入时核对签名单位的公钥和签名、确认报表包是发给本级的，解密后核对内容摘要；任何一项不符即拒绝并说明原因。验证不保存任何数据；下级在自建平台上报的，可在验证后“作为下级上报接收”。
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".der,.p7m,application/octet-stream"
          maxCount={1}
          multiple={false}
          fileList={[]}
          showUploadList={false}
          disabled={importing.isPending}
          beforeUpload={(file) => {
            upload(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{importing.isPending ? '正在验证…' : '点击或拖入报表包文件（.der）'}</p>
          <p className="ant-upload-hint">最大 1 MB</p>
        </Upload.Dragger>
        {refusal && (
          <Alert
            type="error"
            showIcon
            role="alert"
            style={{ marginTop: 12 }}
            title="报表包未通过验证"
            description={refusal}
            data-testid="package-refusal"
          />
        )}
      </Card>

      {result && (
        <VerifiedReturn
          result={result}
          action={
            accepted ? (
              <Alert
                type="success"
                showIcon
                data-testid="package-accepted"
                title={`已接收为${result.regionName}的上报报表，请审核`}
                action={<Link to={`/stat-returns/${accepted.statReturn.id}`}>前往审核</Link>}
              />
            ) : (
              <Flex gap={8} align="center" wrap>
                <Button
                  type="primary"
                  loading={accepting.isPending}
                  onClick={() =>
                    file &&
                    accepting.mutate(file, {
                      onSuccess: (done) => setAccepted(done),
                      onError: (err) => setRefusal(errorMessage(err)),
                    })
                  }
                >
                  作为下级上报接收
                </Button>
                <Typography.Text type="secondary">
                  下级在自建平台上报的，接收后按报表包中的数据进入本级审核（通过或退回）
                </Typography.Text>
              </Flex>
            )
          }
        />
      )}
      <KeyCard regionCode={user.regionCode} />
    </>
  );
}

function VerifiedReturn({ result, action }: { result: PackageImportResult; action?: ReactNode }) {
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="package-verified"
      title={
        <Flex gap={8} align="center" wrap>
          <SafetyCertificateOutlined style={{ color: '#389e0d' }} />
          <span>验证通过</span>
          <Tag color="green">签名有效 · 内容未被篡改</Tag>
        </Flex>
      }
    >
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label="报表">
          {STAT_TEMPLATE_LABELS[result.template as StatTemplate] ?? result.template}
        </Descriptions.Item>
        <Descriptions.Item label="报表期">{result.period}</Descriptions.Item>
        <Descriptions.Item label="填报单位">
          {result.regionName}（{result.regionCode}）
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          {STAT_RETURN_STATUS_LABELS[result.status as StatReturnStatus] ?? result.status}
        </Descriptions.Item>
        <Descriptions.Item label="签名单位">
          <span data-testid="package-signer">
            {result.signedByName}（{result.signedBy}）
          </span>
        </Descriptions.Item>
        <Descriptions.Item label="签名时间">{new Date(result.signedAt).toLocaleString('zh-CN')}</Descriptions.Item>
        <Descriptions.Item label="报出时间">
          {result.submittedAt ? new Date(result.submittedAt).toLocaleString('zh-CN') : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="报表包 SM3">
          <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
            {result.packageDigest}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={result.rows}
        columns={[
          { title: '部分', dataIndex: 'section', responsive: ['sm'] },
          { title: '指标', dataIndex: 'name' },
          { title: '数值', dataIndex: 'value', align: 'right' },
          { title: '单位', dataIndex: 'unit' },
        ]}
      />
      {action && <div style={{ marginTop: 12 }}>{action}</div>}
    </Card>
  );
}

/** The own level's public key (to give to another instance) and the registration of another instance's key. */
function KeyCard({ regionCode }: { regionCode: string }) {
  const key = useRegionPublicKey(regionCode);
  const register = useRegisterPublicKey();
  const [form] = Form.useForm<{ code: string; publicKeyPem: string; reason: string }>();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <Card size="small" title="本级公钥与外部平台公钥登记">
      <Typography.Paragraph type="secondary">
        下级在本平台时无需任何操作。下级或上级在其他平台（如自建平台的市州）时，把本级公钥交给对方登记，并在下面登记对方的公钥。私钥只在本平台加密保存，不能导出。
      </Typography.Paragraph>
      {key.data && (
        <>
          <Typography.Text strong>本级 SM2 公钥（PEM）</Typography.Text>
          <Input.TextArea
            readOnly
            value={key.data.publicKeyPem}
            autoSize
            style={{ fontFamily: 'monospace', marginTop: 4 }}
          />
          <Flex gap={8} style={{ margin: '8px 0 16px' }} wrap>
            <Button icon={<CopyOutlined />} onClick={() => void navigator.clipboard?.writeText(key.data.publicKeyPem)}>
              复制公钥
            </Button>
            <Typography.Text type="secondary">密钥标识 {key.data.keySerial}</Typography.Text>
          </Flex>
        </>
      )}
      {key.isError && <Alert type="warning" showIcon title={errorMessage(key.error)} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => {
          setDone(null);
          setError(null);
          register.mutate(
            { code: values.code, body: { publicKeyPem: values.publicKeyPem, reason: values.reason } },
            {
              onSuccess: (registered) => {
                setDone(`已登记 ${registered.regionName} 的公钥（密钥标识 ${registered.keySerial}）`);
                form.resetFields();
              },
              onError: (err) => setError(errorMessage(err)),
            },
          );
        }}
      >
        <Form.Item
          name="code"
          label="对方区划代码"
          rules={[{ required: true, pattern: REGION_CODE, message: '请填写 12 位区划代码' }]}
        >
          <Input inputMode="numeric" maxLength={12} placeholder="如 420100000000" />
        </Form.Item>
        <Form.Item
          name="publicKeyPem"
          label="对方 SM2 公钥（PEM）"
          rules={[{ required: true, message: '请粘贴对方的公钥' }]}
        >
          <Input.TextArea rows={4} placeholder="-----BEGIN PUBLIC KEY-----" style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="reason" label="登记原因" rules={[{ required: true, message: '请填写登记原因' }]}>
          <Input maxLength={200} placeholder="如：市州自建平台" />
        </Form.Item>
        <Button htmlType="submit" loading={register.isPending}>
          登记公钥
        </Button>
        {done && <Alert type="success" showIcon title={done} style={{ marginTop: 12 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} role="alert" />}
      </Form>
    </Card>
  );
}
