import { lazy, Suspense, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { Alert, Button, Flex, Space, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { errorMessage, isApiError } from '../../../api/client';
import { useFamily } from '../../../api/families';
import { useCurrentUser } from '../../../app/auth-context';
import { LinkButton } from '../../../components/link-button';
import { PageSpin } from '../../../components/page-spin';
import { usePageTitle } from '../../../components/use-page-title';
import { CONTACT_LOGGERS } from '../family-labels';
import { FamilyStatusTag, FamilyTypeTag, SpecialDifficultyTag } from '../family-tags';
import {
  AssistanceSection,
  ChildSection,
  FamilyInfoSection,
  MembersSection,
  SpecialAssistanceSection,
} from './family-sections';
import { HistorySection } from './history-timeline';
import { EventsSection } from './events-section';
import { NeedsSection } from './needs-section';
import { PetitionSection } from './petition-section';
import { ContactLogsSection, ContactsSection } from './related-sections';
import { canChangeStatusAtAll, CONFLICT_MESSAGE } from './status-rules';
import { MedicalSection, PairingsSection } from '../../people/archive-sections';

// The dialogs bring forms and date pickers: loaded when opened, not with the page.
const StatusChangeModal = lazy(() => import('./status-change-modal').then((m) => ({ default: m.StatusChangeModal })));
const AssistanceModal = lazy(() => import('./assistance-modal').then((m) => ({ default: m.AssistanceModal })));

/** Back to the list the cadre came from (with its filters), or to the list when opened directly. */
export function useBackToList() {
  const location = useLocation();
  const navigate = useNavigate();
  return () => (location.key !== 'default' ? navigate(-1) : navigate('/families'));
}

/** The whole archive on one page (R8): family, parents, child, assistance, contacts, records and history. */
export default function FamilyArchivePage() {
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const family = useFamily(id);
  const back = useBackToList();
  const [dialog, setDialog] = useState<'status' | 'assistance' | null>(null);
  const [conflict, setConflict] = useState(false);
  usePageTitle(family.data ? `档案 ${family.data.archiveNo}` : '家庭档案');

  if (family.isPending) return <PageSpin />;
  if (family.isError) {
    if (isApiError(family.error, 'NOT_FOUND'))
      return (
        <Alert
          type="warning"
          showIcon
          title="未找到该档案"
          description="档案不存在，或不在您的管辖范围内。"
          action={<LinkButton to="/families">返回档案列表</LinkButton>}
        />
      );
    return <Alert type="error" showIcon title={errorMessage(family.error)} />;
  }

  const data = family.data;
  const reload = () => {
    setConflict(true);
    void family.refetch();
  };

  return (
    <>
      <Button type="link" icon={<ArrowLeftOutlined />} onClick={back} style={{ paddingInline: 0 }}>
        返回
      </Button>
      <Flex justify="space-between" align="flex-start" wrap gap={8} style={{ marginBottom: 16 }}>
        <Flex vertical gap={4} style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ margin: 0, wordBreak: 'break-all' }}>
            {data.members.map((m) => m.name).join('、')}家
          </Typography.Title>
          <Space size={4} wrap>
            <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
              {data.archiveNo}
            </Typography.Text>
            <FamilyTypeTag type={data.familyType} />
            <FamilyStatusTag status={data.status} reason={data.statusReason} />
            {data.isSpecialDifficulty && <SpecialDifficultyTag />}
          </Space>
          <Typography.Text type="secondary">
            {data.regionName} · {data.address}
          </Typography.Text>
        </Flex>
        <Space wrap>
          {data.abilities.update && (
            <LinkButton to={`/families/${data.id}/edit`} type="primary" icon={<EditOutlined />}>
              编辑
            </LinkButton>
          )}
          {canChangeStatusAtAll(data, user.role) && (
            <Button icon={<SwapOutlined />} onClick={() => setDialog('status')}>
              状态变更
            </Button>
          )}
        </Space>
      </Flex>

      {conflict && (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setConflict(false) }}
          title={CONFLICT_MESSAGE}
          description="已为您载入最新的档案内容，请核对后再操作。"
          style={{ marginBottom: 16 }}
        />
      )}

      <FamilyInfoSection family={data} />
      <MembersSection family={data} />
      <ChildSection family={data} />
      <SpecialAssistanceSection family={data} />
      <AssistanceSection
        family={data}
        extra={
          data.abilities.addAssistance && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('assistance')}>
              登记
            </Button>
          )
        }
      />
      <ContactsSection familyId={data.id} />
      {/* An exited family's work has ended (its contacts too): nothing to log. */}
      <ContactLogsSection familyId={data.id} canLog={CONTACT_LOGGERS.includes(user.role) && data.status !== 'exited'} />
      <EventsSection familyId={data.id} />
      <NeedsSection familyId={data.id} />
      <PetitionSection familyId={data.id} />
      <PairingsSection familyId={data.id} isExited={data.status === 'exited'} />
      <MedicalSection familyId={data.id} isExited={data.status === 'exited'} />
      <HistorySection familyId={data.id} regionNames={{ [data.regionCode]: data.regionName }} />

      <Suspense fallback={null}>
        {dialog === 'status' && (
          <StatusChangeModal family={data} role={user.role} onClose={() => setDialog(null)} onConflict={reload} />
        )}
        {dialog === 'assistance' && <AssistanceModal familyId={data.id} onClose={() => setDialog(null)} />}
      </Suspense>
    </>
  );
}
