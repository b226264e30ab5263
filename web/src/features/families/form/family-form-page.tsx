import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Flex, Form, Result, Space, Typography } from 'antd';
import { FamilyCreate, FamilyPatch } from '../../../../../common/schemas/families';
import { ApiError, errorMessage, isApiError } from '../../../api/client';
import { useCreateFamily, useFamily, useUpdateFamily, type FamilyDetail } from '../../../api/families';
import { useCurrentUser } from '../../../app/auth-context';
import { LinkButton } from '../../../components/link-button';
import { PageSpin } from '../../../components/page-spin';
import { usePageTitle } from '../../../components/use-page-title';
import { CONFLICT_MESSAGE } from '../archive/status-rules';
import { FAMILY_WRITERS } from '../family-labels';
import {
  checkPayload,
  emptyValues,
  placeErrors,
  relationsIn,
  shapeOf,
  toPayload,
  valuesOf,
  type FamilyFormValues,
} from './family-form-model';
import { ChildFields, FamilyFields, MemberFields } from './family-form-sections';
import { useSyncState } from '../../../offline/sync';

/** `/families/new` and `/families/:id/edit`. */
export default function FamilyFormPage() {
  const { id } = useParams();
  const user = useCurrentUser();
  const sync = useSyncState();
  // Archives are edited online only (issue #17): the phone's copy is for visits, and an edit needs the version.
  if (!sync.online || sync.offlineSession)
    return (
      <Result
        status="warning"
        title="离线时不能新建或修改档案"
        subTitle="走访、电话、节日慰问等记录可以离线登记；档案请在有网络时修改。"
      />
    );
  if (!FAMILY_WRITERS.includes(user.role))
    return (
      <Result
        status="403"
        title="无权修改档案"
        subTitle="档案由村（居）和乡镇（街道）工作人员建立和维护。"
        extra={<LinkButton to="/families">返回档案列表</LinkButton>}
      />
    );
  return id ? <EditFamily id={id} /> : <FamilyForm />;
}

function EditFamily({ id }: { id: string }) {
  const family = useFamily(id);
  if (family.isPending) return <PageSpin />;
  if (family.isError)
    return isApiError(family.error, 'NOT_FOUND') ? (
      <Result status="404" title="未找到该档案" extra={<LinkButton to="/families">返回档案列表</LinkButton>} />
    ) : (
      <Alert type="error" showIcon title={errorMessage(family.error)} />
    );
  if (!family.data.abilities.update)
    return (
      <Result status="403" title="无权修改该档案" extra={<LinkButton to={`/families/${id}`}>返回档案</LinkButton>} />
    );
  return <FamilyForm existing={family.data} onConflict={() => family.refetch()} />;
}

function scrollToField(
  form: ReturnType<typeof Form.useForm<FamilyFormValues>>[0],
  name: Array<string | number> | null,
) {
  if (name) form.scrollToField(name, { block: 'center', behavior: 'smooth' });
}

function FamilyForm({ existing, onConflict }: { existing?: FamilyDetail; onConflict?: () => void }) {
  const isEdit = !!existing;
  usePageTitle(isEdit ? `编辑档案 ${existing.archiveNo}` : '新建档案');
  const user = useCurrentUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<FamilyFormValues>();
  const create = useCreateFamily();
  const update = useUpdateFamily(existing?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);

  // After a conflict the archive is loaded again: start over from what is stored now.
  const version = existing?.version;
  useEffect(() => {
    if (!existing) return;
    form.resetFields();
    form.setFieldsValue(valuesOf(existing));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  const cancel = () => navigate(isEdit ? `/families/${existing.id}` : '/families');

  const onFinish = () => {
    setError(null);
    // Every value, also of fields not on screen (the parent boxes of an archive that has both parents).
    const values = form.getFieldsValue(true) as FamilyFormValues;
    const relations = relationsIn(values);
    if (relations.length === 0) {
      setError('父母至少填写一位');
      return;
    }
    const payload = toPayload(values, existing);
    const problems = checkPayload(
      isEdit ? FamilyPatch : FamilyCreate,
      isEdit ? { ...payload, version: existing.version } : payload,
      shapeOf(values, existing),
    );
    if (problems.length > 0) {
      const { unplaced, first } = placeErrors(form, problems, relations);
      if (unplaced.length) setError(unplaced.join('；'));
      scrollToField(form, first);
      return;
    }
    const onError = (err: unknown) => {
      if (isApiError(err, 'VERSION_CONFLICT')) {
        setConflict(true);
        onConflict?.();
        window.scrollTo({ top: 0, behavior: 'smooth' });
        return;
      }
      if (err instanceof ApiError && err.details.length > 0) {
        const { unplaced, first } = placeErrors(form, err.details, relations);
        if (unplaced.length) setError(unplaced.join('；'));
        else if (!first) setError(errorMessage(err));
        scrollToField(form, first);
        return;
      }
      setError(errorMessage(err));
      window.scrollTo({ top: 0, behavior: 'smooth' });
    };
    if (isEdit) {
      update.mutate(
        { ...payload, version: existing.version },
        {
          onSuccess: (family) => {
            message.success('档案已保存');
            navigate(`/families/${family.id}`, { replace: true });
          },
          onError,
        },
      );
    } else {
      create.mutate(payload, {
        onSuccess: (family) => {
          message.success(`已建档，档案编号 ${family.archiveNo}`);
          navigate(`/families/${family.id}`, { replace: true });
        },
        onError,
      });
    }
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {isEdit ? '编辑档案' : '新建档案'}
        </Typography.Title>
        {isEdit && (
          <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}>
            {existing.archiveNo}
          </Typography.Text>
        )}
      </Flex>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={CONFLICT_MESSAGE}
          description="表单已换成最新的档案内容，请重新修改后保存。"
          style={{ marginBottom: 16 }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form<FamilyFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onFinishFailed={({ errorFields }) => scrollToField(form, errorFields[0]?.name ?? null)}
        initialValues={
          existing ? valuesOf(existing) : emptyValues(user.role === 'village_staff' ? user.regionCode : undefined)
        }
        autoComplete="off"
        scrollToFirstError={false}
      >
        <FamilyFields form={form} existing={existing} rootCode={user.regionCode} />
        <MemberFields form={form} existing={existing} relation="mother" />
        <MemberFields form={form} existing={existing} relation="father" />
        <ChildFields form={form} existing={existing} />
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={create.isPending || update.isPending}>
            {isEdit ? '保存修改' : '保存建档'}
          </Button>
          <Button onClick={cancel}>取消</Button>
        </Space>
      </Form>
    </>
  );
}
