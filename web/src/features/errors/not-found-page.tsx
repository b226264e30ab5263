import { Result } from 'antd';
import { LinkButton } from '../../components/link-button';
import { usePageTitle } from '../../components/use-page-title';

export default function NotFoundPage() {
  usePageTitle('页面不存在');
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在，请检查地址或从菜单进入。"
      extra={
        <LinkButton to="/" type="primary">
          返回工作台
        </LinkButton>
      }
    />
  );
}
