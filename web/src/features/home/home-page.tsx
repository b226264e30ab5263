import { Link } from 'react-router';
import { Card, Col, Descriptions, Row, Skeleton, Typography } from 'antd';
import { ApartmentOutlined, RightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { REGION_LEVELS, REGION_LEVEL_LABELS, ROLE_LABELS, type Role } from '../../../../common/roles';
import { useRegion } from '../../api/regions';
import { TODO_ROLES, useTodos } from '../../api/todos';
import { useCurrentUser } from '../../app/auth-context';
import { menuFor } from '../../app/menu';
import { LinkButton } from '../../components/link-button';
import { usePageTitle } from '../../components/use-page-title';
import { SupervisorSummary } from '../dashboard/supervisor-summary';
import { TodoList } from '../todos/todo-list';

/** Roles whose home shows 我的待办: contacts always; staff when something escalated to them. */
/** Roles whose home shows their region's visits at a glance (the township and above). */
const SUPERVISOR_ROLES: readonly Role[] = [
  'township_staff',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];

function greeting(hour: number): string {
  if (hour < 6) return '您好';
  if (hour < 12) return '上午好';
  if (hour < 14) return '中午好';
  if (hour < 18) return '下午好';
  return '晚上好';
}

export default function HomePage() {
  usePageTitle('工作台');
  const user = useCurrentUser();
  const region = useRegion(user.regionCode);
  const todos = useTodos(TODO_ROLES.includes(user.role));
  const showTodos = user.role === 'contact' || (todos.data?.length ?? 0) > 0;
  const showSummary = SUPERVISOR_ROLES.includes(user.role);
  const now = dayjs();
  // Shortcuts to the pages that describe themselves (the 三员's, the archive); dashboards have cards above.
  const adminPages = menuFor(user).filter((entry) => entry.roles !== 'all' && entry.description);

  const childLevel = region.data ? REGION_LEVELS[REGION_LEVELS.indexOf(region.data.level) + 1] : undefined;

  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {greeting(now.hour())}，{user.displayName}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{now.format('YYYY年M月D日 dddd')}</Typography.Paragraph>

      <Row gutter={[16, 16]}>
        {showTodos && (
          <Col xs={24} xl={showSummary ? 12 : 24}>
            <TodoList role={user.role} />
          </Col>
        )}
        {showSummary && (
          <Col xs={24} xl={showTodos ? 12 : 24}>
            <SupervisorSummary regionName={user.regionName} />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <Card title="我的账户" style={{ height: '100%' }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'name', label: '姓名', children: user.displayName },
                { key: 'username', label: '用户名', children: user.username },
                { key: 'role', label: '角色', children: ROLE_LABELS[user.role] },
                { key: 'region', label: '所属区划', children: user.regionName },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <>
                <ApartmentOutlined /> 我的区划
              </>
            }
            style={{ height: '100%' }}
          >
            {region.isPending ? (
              <Skeleton active paragraph={{ rows: 2 }} />
            ) : region.data ? (
              <>
                <Typography.Title level={4} style={{ marginTop: 0 }}>
                  {region.data.name}
                </Typography.Title>
                <Typography.Paragraph type="secondary">
                  {REGION_LEVEL_LABELS[region.data.level]} · 区划代码 {region.data.code}
                  {childLevel && region.data.childCount > 0
                    ? ` · 下辖 ${region.data.childCount} 个${REGION_LEVEL_LABELS[childLevel]}`
                    : ''}
                </Typography.Paragraph>
                <LinkButton
                  to={`/regions/${region.data.code}`}
                  type="primary"
                  icon={<RightOutlined />}
                  iconPlacement="end"
                >
                  查看区划
                </LinkButton>
              </>
            ) : (
              <Typography.Text type="secondary">
                {user.regionName}（区划信息暂时无法加载） <Link to={`/regions/${user.regionCode}`}>查看区划</Link>
              </Typography.Text>
            )}
          </Card>
        </Col>
        {adminPages.map((entry) => (
          <Col xs={24} lg={12} key={entry.path}>
            <Card
              title={
                <>
                  {entry.icon} {entry.label}
                </>
              }
              style={{ height: '100%' }}
            >
              <Typography.Paragraph type="secondary">{entry.description}</Typography.Paragraph>
              <LinkButton to={entry.path} type="primary" icon={<RightOutlined />} iconPlacement="end">
                进入{entry.label}
              </LinkButton>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
