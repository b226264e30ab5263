import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { App, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Modal, Tag, Typography, type MenuProps } from 'antd';
import {
  BellOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  SafetyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS } from '../../../common/roles';
import { useLogout } from '../api/auth';
import { DemoBanner } from '../components/demo-banner';
import { PageSpin } from '../components/page-spin';
import { useFocusableScrollRegions } from '../components/focusable-scroll';
import { PRODUCT_NAME, useCurrentPageTitle } from '../components/use-page-title';
import { NotificationBell } from '../features/notifications/notification-bell';
import { useCurrentUser } from './auth-context';
import { menuEntryFor, menuFor } from './menu';
import logoUrl from './logo.svg';
import { SyncBar } from '../features/offline/sync-bar';
import { getSyncState } from '../offline/sync';

const { Header, Sider, Content } = Layout;

export default function AppLayout() {
  const user = useCurrentUser();
  const screens = Grid.useBreakpoint();
  const isPhone = !screens.md;
  const pageTitle = useCurrentPageTitle();
  useFocusableScrollRegions();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  // A full load of the login page: nothing of the session stays in memory, and the route guard cannot
  // race the navigation and send the next person to log in to this user's page (/login?next=…).
  const logout = useLogout(() => window.location.replace('/login'));
  // Logging out clears this phone's copy and its queue (issue #17): say so when records still wait.
  const confirmLogout = () => {
    const { pending, refused } = getSyncState();
    if (pending + refused === 0) return logout.mutate();
    Modal.confirm({
      title: `还有 ${pending + refused} 条记录没有同步`,
      content: '退出后，本机保存的家庭信息和这些待同步记录都会被清除。请先连上网络同步，确实要退出吗？',
      okText: '仍然退出',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => logout.mutate(),
    });
  };

  const selected = menuEntryFor(location.pathname)?.path;
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={selected ? [selected] : []}
      items={menuFor(user).map((entry) => ({
        key: entry.path,
        icon: entry.icon,
        label: <Link to={entry.path}>{entry.label}</Link>,
      }))}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: 'none' }}
    />
  );

  const roleLabel = ROLE_LABELS[user.role];
  const userMenu: MenuProps['items'] = [
    { key: 'name', label: user.displayName, disabled: true },
    { key: 'role', label: roleLabel, disabled: true },
    { key: 'region', label: user.regionName, disabled: true },
    { type: 'divider' },
    { key: 'notify', icon: <BellOutlined />, label: <Link to="/notification-settings">通知设置</Link> },
    { key: 'password', icon: <KeyOutlined />, label: <Link to="/password">修改密码</Link> },
    {
      key: 'mfa',
      icon: <SafetyOutlined />,
      label: <Link to="/mfa-setup">{user.mfaEnabled ? '动态验证码（已绑定）' : '绑定动态验证码'}</Link>,
    },
    { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', danger: true, onClick: confirmLogout },
  ];

  // antd's App (message, modal) lives here, not in the providers, so the login page does not load it.
  return (
    <App>
      <Layout style={{ minHeight: '100vh' }}>
        <DemoBanner />
        <Header style={{ borderBottom: '1px solid #f0f0f0', position: 'sticky', top: 0, zIndex: 10 }}>
          <Flex align="center" justify="space-between" gap={8} style={{ height: '100%' }}>
            <Flex align="center" gap={8} style={{ minWidth: 0 }}>
              {isPhone && (
                <Button type="text" icon={<MenuOutlined />} aria-label="打开菜单" onClick={() => setDrawerOpen(true)} />
              )}
              <Link to="/" style={{ display: 'flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
                <img src={logoUrl} alt="" width={24} height={24} />
                <Typography.Text strong ellipsis style={{ fontSize: isPhone ? 15 : 17 }}>
                  {PRODUCT_NAME}
                </Typography.Text>
              </Link>
            </Flex>
            {isPhone ? (
              <Flex align="center" gap={4}>
                <NotificationBell />
                <Dropdown menu={{ items: userMenu }} trigger={['click']} placement="bottomRight">
                  <Button type="text" icon={<UserOutlined />} aria-label={`当前用户：${user.displayName}`} />
                </Dropdown>
              </Flex>
            ) : (
              <Flex align="center" gap={12} style={{ minWidth: 0 }}>
                <NotificationBell />
                <Typography.Text strong>
                  <UserOutlined /> {user.displayName}
                </Typography.Text>
                <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                  {roleLabel}
                </Tag>
                <Typography.Text type="secondary" ellipsis>
                  {user.regionName}
                </Typography.Text>
                <Link to="/password">修改密码</Link>
                <Link to="/mfa-setup">{user.mfaEnabled ? '动态验证码' : '绑定动态验证码'}</Link>
                <Button icon={<LogoutOutlined />} loading={logout.isPending} onClick={confirmLogout}>
                  退出登录
                </Button>
              </Flex>
            )}
          </Flex>
        </Header>
        <SyncBar />
        <Layout>
          {!isPhone && (
            <Sider width={200} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
              <nav aria-label="主菜单">{menu}</nav>
            </Sider>
          )}
          <Content style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}>
            {/* One h1 per page, its title; the visible heading below stays where each page lays it out. */}
            <h1 className="visually-hidden">{pageTitle ? `${pageTitle} - ${PRODUCT_NAME}` : PRODUCT_NAME}</h1>
            <Suspense fallback={<PageSpin />}>
              <Outlet />
            </Suspense>
          </Content>
        </Layout>
        {isPhone && (
          <Drawer
            placement="left"
            size={240}
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            title={PRODUCT_NAME}
            styles={{ body: { padding: 0 } }}
          >
            <nav aria-label="主菜单">{menu}</nav>
          </Drawer>
        )}
      </Layout>
    </App>
  );
}
