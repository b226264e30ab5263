import { PrinterOutlined } from '@ant-design/icons';
import { Space } from 'antd';
import type { StatReturn } from '../../../../common/schemas/stat-returns';
import { LinkButton } from '../../components/link-button';

/**
 * The return page's download area: everyone who may read a return prints it here. The encrypted
 * transmission package (下载加密包) and the password-protected workbook (下载加密Excel) of the
 * national-cryptography work join this component, beside the print button.
 */
export function StatReturnDownloads({ statReturn }: { statReturn: StatReturn }) {
  return (
    <Space wrap data-testid="stat-return-downloads">
      <LinkButton icon={<PrinterOutlined />} to={`/stat-returns/${statReturn.id}/print`}>
        打印报表
      </LinkButton>
      {/* 下载加密包 / 下载加密Excel go here (GET …/package, POST …/xlsx). */}
    </Space>
  );
}
