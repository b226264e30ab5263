import { Link } from 'react-router';
import { Alert, Card, Flex, Skeleton, Tag, Typography } from 'antd';
import {
  AlertOutlined,
  FileTextOutlined,
  FlagOutlined,
  GiftOutlined,
  HomeOutlined,
  PhoneOutlined,
  IdcardOutlined,
  NotificationOutlined,
  ReadOutlined,
  RightOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Role } from '../../../../common/roles';
import { errorMessage } from '../../api/client';
import { useTodos, type Todo, type TodoKind } from '../../api/todos';
import { familyTaskPath } from '../visits/visit-roles';
import './todo-list.css';

type Section =
  'event' | 'petition' | 'visit' | 'festival' | 'need' | 'training' | 'return' | 'survey' | 'reveal' | 'supervision';

const SECTION_OF: Record<TodoKind, Section> = {
  event_response: 'event',
  petition_visit: 'petition',
  petition_alert: 'petition',
  visit_due: 'visit',
  festival_care: 'festival',
  need_overdue: 'need',
  training_due: 'training',
  stat_return_due: 'return',
  stat_return_review: 'return',
  survey_call: 'survey',
  survey_discrepancy: 'survey',
  reveal_request: 'reveal',
  supervision_order: 'supervision',
  accountability_case: 'supervision',
};

const SECTIONS: Record<Section, { title: string; unit: string; icon: React.ReactNode }> = {
  event: { title: '重大情况', unit: '件', icon: <AlertOutlined /> },
  petition: { title: '信访', unit: '件', icon: <FlagOutlined /> },
  visit: { title: '本月待走访', unit: '户', icon: <HomeOutlined /> },
  festival: { title: '节日慰问', unit: '户', icon: <GiftOutlined /> },
  need: { title: '逾期诉求', unit: '件', icon: <SolutionOutlined /> },
  training: { title: '年度培训', unit: '项', icon: <ReadOutlined /> },
  return: { title: '统计报表', unit: '份', icon: <FileTextOutlined /> },
  survey: { title: '抽样调查', unit: '项', icon: <PhoneOutlined /> },
  reveal: { title: '完整号码查看审批', unit: '件', icon: <IdcardOutlined /> },
  supervision: { title: '督办与问责', unit: '件', icon: <NotificationOutlined /> },
};

/** Sections in the order their first item arrives: the server sorts by urgency, and so does the page. */
export function groupTodos(todos: readonly Todo[]): Array<{ section: Section; items: Todo[] }> {
  const groups = new Map<Section, Todo[]>();
  for (const todo of todos) {
    const section = SECTION_OF[todo.kind] ?? 'need';
    groups.set(section, [...(groups.get(section) ?? []), todo]);
  }
  return [...groups].map(([section, items]) => ({ section, items }));
}

/** Deadlines with a time (events, risks) are instants; month ends and festival windows are dates. */
function DueLine({ todo }: { todo: Todo }) {
  if (todo.kind === 'visit_due') return null;
  // A request awaiting approval has no deadline: when it was filed.
  if (todo.kind === 'reveal_request')
    return <Typography.Text type="secondary">申请时间：{dayjs(todo.dueAt).format('M月D日 HH:mm')}</Typography.Text>;
  const isInstant = todo.dueAt.length > 10;
  const due = dayjs(todo.dueAt);
  const isOverdue = isInstant ? due.isBefore(dayjs()) : due.isBefore(dayjs(), 'day');
  return (
    <Flex gap={6} align="center" wrap>
      <Typography.Text type="secondary">期限：{due.format(isInstant ? 'M月D日 HH:mm' : 'M月D日')}</Typography.Text>
      {isOverdue && (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          已逾期
        </Tag>
      )}
    </Flex>
  );
}

function TodoItem({ todo, role }: { todo: Todo; role: Role }) {
  // The visit list's title is the family itself; every other item about a family names it first, with
  // its archive number, so two items of one kind in one village are told apart.
  const named = Boolean(todo.familyId) && todo.kind !== 'visit_due' && Boolean(todo.familyName || todo.archiveNo);
  return (
    <Link
      to={todo.path ?? familyTaskPath(role, todo.familyId)}
      className="todo-item"
      data-testid="todo-item"
      data-kind={todo.kind}
    >
      <div style={{ minWidth: 0, flex: 1 }}>
        {named && (
          <div data-testid="todo-family">
            <Typography.Text strong style={{ fontSize: 16 }}>
              {todo.familyName || todo.archiveNo}
            </Typography.Text>
            {todo.familyName && <Typography.Text type="secondary"> · {todo.archiveNo}</Typography.Text>}
          </div>
        )}
        <Typography.Text strong={!named} style={{ fontSize: named ? 14 : 16 }}>
          {todo.title}
        </Typography.Text>
        <div>
          <Typography.Text type="secondary">
            {todo.regionName} · {todo.detail}
          </Typography.Text>
        </div>
        <DueLine todo={todo} />
      </div>
      <RightOutlined aria-hidden style={{ color: 'rgba(0,0,0,0.35)' }} />
    </Link>
  );
}

/** 我的待办: what the signed-in user must do, most urgent first; each item opens the family. */
export function TodoList({ role }: { role: Role }) {
  const todos = useTodos();
  if (todos.isPending) {
    return (
      <Card title="我的待办">
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    );
  }
  if (todos.isError) {
    return (
      <Card title="我的待办">
        <Alert type="error" showIcon title={errorMessage(todos.error)} />
      </Card>
    );
  }
  if (todos.data.length === 0) {
    return (
      <Card title="我的待办">
        <Typography.Text type="success">本月待走访的家庭都已走访，暂无其他待办。</Typography.Text>
      </Card>
    );
  }
  const groups = groupTodos(todos.data);
  return (
    <Card title="我的待办" styles={{ body: { padding: 0 } }}>
      {groups.map(({ section, items }) => (
        <section key={section} aria-labelledby={`todo-${section}`} data-testid={`todo-section-${section}`}>
          <div className="todo-section-title" id={`todo-${section}`}>
            {SECTIONS[section].icon} {SECTIONS[section].title}
            <span className="todo-count">
              {items.length} {SECTIONS[section].unit}
            </span>
          </div>
          {items.map((todo) => (
            <TodoItem key={`${todo.kind}:${todo.familyId}:${todo.path ?? ''}:${todo.dueAt}`} todo={todo} role={role} />
          ))}
        </section>
      ))}
    </Card>
  );
}
