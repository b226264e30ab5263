import { Result } from 'antd';
import { LinkButton } from '../../components/link-button';
import { usePageTitle } from '../../components/use-page-title';

export default function ForbiddenPage() {
  usePageTitle('无权访问');
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的角色不能使用此页面。如需使用，请联系系统管理员。"
      extra={
        <LinkButton to="/" type="primary">
          返回工作台
        </LinkButton>
      }
    />
  );
}
