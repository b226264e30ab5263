import { createHash, randomUUID } from 'node:crypto';
import { NOTICE_STATUS_LABELS, type NoticeStatus } from '../../../common/labels.js';
import type {
  Notice,
  NoticeCreate,
  NoticeDelivery,
  NoticeListItem,
  NoticeReads,
  NoticeUpdate,
} from '../../../common/schemas/notices.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/database.js';
import type { NoticeTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can, POLICY } from '../../platform/policy.js';
import { actorRange, isInScope, subtreeRange, type Actor } from '../../platform/scope.js';
import type { ChannelsService } from '../channels/channels.service.js';
import type { Notify } from '../notifications/notifications.service.js';
import { classifiedMarkings, inspectAttachment } from './attachments.js';
import { noticesRepo as repo, type NoticeRow } from './notices.repository.js';
import { robotMarkdown } from './wecom-robot.js';
import { NOTICE_LIMITS } from '../../../common/schemas/notices.js';

const STEP_LABELS: Record<string, string> = {
  create: '起草',
  edit: '修改',
  attach: '添加附件',
  detach: '删除附件',
  submit: '提交审批',
  approve: '审批通过',
  return: '退回修改',
  publish: '发布',
  withdraw: '撤回',
  posted: '群管理员已张贴',
};

/** The county an account belongs to: the county of its region (a contact, a township cadre) or its own. */
function countyOf(code: string): string {
  return code.slice(0, 6) + '000000';
}

/** Readers of the board: the county's contacts and staff, in the notice's county. */
function isBoardReader(actor: Actor, notice: Pick<NoticeTable, 'region_code' | 'status'>): boolean {
  return (
    can(actor, 'notice.board') &&
    actor.regionLevel !== 'province' &&
    actor.regionLevel !== 'prefecture' &&
    countyOf(actor.regionCode) === notice.region_code &&
    (notice.status === 'published' || notice.status === 'withdrawn')
  );
}

function refuseMarkings(path: string, text: string) {
  const found = classifiedMarkings(text);
  if (found.length)
    throw AppError.field(
      path,
      `内容含有密级标志“${found.join('、')}”：涉密内容不得通过本平台或群发布，请按保密规定另行处理`,
      'CLASSIFIED',
    );
}

/** What to paste into a QQ or WeChat group (no push interface there): plain text, Markdown marks removed. */
export function pasteText(
  n: { title: string; body: string; countyName: string; publishedAt: string | null },
  files: string[],
) {
  const body = n.body
    .replace(/^#{1,6}\s*/gm, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/\[(.+?)\]\((.+?)\)/g, '$1（$2）');
  const date = n.publishedAt ? n.publishedAt.slice(0, 10) : '';
  const attached = files.length ? `\n\n附件：${files.join('、')}（请在平台公告栏下载）` : '';
  return `【${n.title}】\n\n${body}${attached}\n\n${n.countyName}卫生健康局\u3000${date}`;
}

export function createNoticesService(platform: Platform, channels: ChannelsService, notify: Notify) {
  const { db, clock, audit, config } = platform;

  function abilities(actor: Actor, n: NoticeRow) {
    const writes = can(actor, 'notice.write') && isInScope(actor, n.region_code);
    const approves = can(actor, 'notice.approve') && isInScope(actor, n.region_code) && n.author_id !== actor.id;
    return {
      edit: writes && n.status === 'draft',
      submit: writes && n.status === 'draft',
      approve: approves && n.status === 'submitted',
      return: approves && n.status === 'submitted',
      withdraw: writes && n.status === 'published',
    };
  }

  async function views(actor: Actor, rows: NoticeRow[]): Promise<NoticeListItem[]> {
    const ids = rows.map((r) => r.id);
    const [atts, reads] = await Promise.all([repo.attachmentsOf(db, ids), repo.readsBy(db, actor.id, ids)]);
    const read = new Set(reads.map((r) => r.notice_id));
    return rows.map((n) => ({
      id: n.id,
      regionCode: n.region_code,
      regionName: n.region_name,
      title: n.title,
      confidentiality: n.confidentiality as Notice['confidentiality'],
      channelIds: JSON.parse(n.channel_ids) as string[],
      status: n.status as NoticeStatus,
      statusReason: n.status_reason,
      authorName: n.author_name,
      approverName: n.approver_name,
      submittedAt: n.submitted_at,
      approvedAt: n.approved_at,
      publishedAt: n.published_at,
      withdrawnAt: n.withdrawn_at,
      createdAt: n.created_at,
      updatedAt: n.updated_at,
      version: n.version,
      attachments: atts
        .filter((a) => a.notice_id === n.id)
        .map((a) => ({ id: a.id, fileName: a.file_name, fileType: a.file_type as 'pdf', size: a.size })),
      isRead: read.has(n.id),
      abilities: abilities(actor, n),
    }));
  }

  async function fullView(actor: Actor, n: NoticeRow): Promise<Notice> {
    const [item] = await views(actor, [n]);
    const steps = await repo.steps(db, n.id);
    return {
      ...item,
      body: n.body,
      history: steps.map((s) => ({
        at: s.at,
        action: STEP_LABELS[s.action] ?? s.action,
        actorName: s.actor_name,
        reason: s.reason,
      })),
    };
  }

  /** A notice the actor may manage (county staff and above in scope); anything else is 404. */
  async function managed(c: RequestContext, id: string, action: 'notice.read' | 'notice.write' | 'notice.approve') {
    const n = await repo.find(db, id);
    if (!n || !isInScope(c.actor, n.region_code)) throw AppError.notFound();
    authorize(c.actor, action, n.region_code);
    return n;
  }

  /** A notice the actor may read: a manager in scope, or a board reader of the county once published. */
  async function readable(c: RequestContext, id: string): Promise<NoticeRow> {
    const n = await repo.find(db, id);
    if (!n) throw AppError.notFound();
    if (isBoardReader(c.actor, n)) return n;
    if (!isInScope(c.actor, n.region_code)) throw AppError.notFound();
    authorize(c.actor, 'notice.read', n.region_code);
    return n;
  }

  async function step(trx: Tx, c: RequestContext, noticeId: string, action: string, reason: string | null = null) {
    await repo.insertStep(trx, {
      id: randomUUID(),
      notice_id: noticeId,
      at: clock.now().toISOString(),
      action,
      actor_id: c.actor.id,
      actor_name: c.actor.displayName,
      reason,
    });
    await audit.record(trx, c, {
      action: `notice.${action}` as 'notice.create',
      targetType: 'notice',
      targetId: noticeId,
      ...(reason ? { changes: { reason } } : {}),
    });
  }

  /** The target channels must be the county's own, active ones; an internal notice goes to no group. */
  async function checkChannels(regionCode: string, ids: string[], confidentiality: string) {
    if (confidentiality === 'internal' && ids.length)
      throw AppError.field(
        'channelIds',
        '内部公告只在平台公告栏发布，不能推送到群（群里有家庭成员）',
        'INTERNAL_NO_CHANNELS',
      );
    const unique = [...new Set(ids)];
    const rows = await channels.channelsOf(unique);
    for (const [i, id] of unique.entries()) {
      const ch = rows.find((r) => r.id === id);
      if (!ch || ch.region_code !== regionCode || ch.is_active !== 1)
        throw AppError.field(`channelIds.${i}`, '发布渠道应为本县在用的群', 'CHANNEL');
    }
    return unique;
  }

  async function transition(
    c: RequestContext,
    n: NoticeRow,
    version: number,
    from: NoticeStatus,
    set: Partial<NoticeTable>,
    then: (trx: Tx) => Promise<void>,
  ) {
    if (version !== n.version) throw new AppError('VERSION_CONFLICT');
    if (n.status !== from)
      throw new AppError(
        'INVALID_STATE',
        `公告当前为“${NOTICE_STATUS_LABELS[n.status as NoticeStatus]}”，不能执行此操作`,
      );
    await db.transaction().execute(async (trx) => {
      if (!(await repo.update(trx, n.id, version, { ...set, updated_at: clock.now().toISOString() })))
        throw new AppError('VERSION_CONFLICT');
      await then(trx);
    });
    return fullView(c.actor, (await repo.find(db, n.id))!);
  }

  /** Re-checked at submission and approval: the body, the title and every attachment. */
  async function checkClassified(n: NoticeRow, executor: Executor = db) {
    refuseMarkings('title', n.title);
    refuseMarkings('body', n.body);
    for (const a of await repo.attachmentsOf(executor, [n.id])) {
      const full = await repo.attachment(executor, n.id, a.id);
      const { markings } = await inspectAttachment(Buffer.from(full!.content), full!.file_name);
      if (markings.length)
        throw AppError.field(
          'attachments',
          `附件“${a.file_name}”含有密级标志“${markings.join('、')}”，不得发布`,
          'CLASSIFIED',
        );
    }
  }

  /** Publication: the board at once; deliveries and outbox rows in this same transaction, sent after commit. */
  async function publish(trx: Tx, c: RequestContext, n: NoticeRow) {
    const now = clock.now().toISOString();
    const ids = JSON.parse(n.channel_ids) as string[];
    const atts = await repo.attachmentsOf(trx, [n.id]);
    const link = `${config.publicUrl}/notices/${n.id}`;
    for (const ch of await channels.channelsOf(ids, trx)) {
      if (ch.is_active !== 1) continue;
      const robot = ch.kind === 'wecom_group' && ch.robot_key_enc !== null;
      const deliveryId = randomUUID();
      await repo.insertDelivery(trx, {
        id: deliveryId,
        notice_id: n.id,
        channel_id: ch.id,
        mode: robot ? 'robot' : 'manual',
        status: 'pending',
        attempts: 0,
        last_error: null,
        posted_by: null,
        posted_by_name: null,
        posted_at: null,
        created_at: now,
        updated_at: now,
      });
      if (!robot) continue;
      const messages = [
        { kind: 'robot_markdown', payload: { content: robotMarkdown({ ...n, countyName: n.region_name }, link) } },
        ...atts.map((a) => ({
          kind: 'robot_file',
          payload: { attachmentId: a.id, noticeId: n.id, fileName: a.file_name },
        })),
      ];
      for (const [seq, m] of messages.entries())
        await repo.insertOutbox(trx, {
          id: randomUUID(),
          kind: m.kind,
          delivery_id: deliveryId,
          channel_id: ch.id,
          seq,
          payload: JSON.stringify(m.payload),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          sent_at: null,
        });
    }
    await step(trx, c, n.id, 'publish');
  }

  return {
    async create(c: RequestContext, input: NoticeCreate): Promise<Notice> {
      if (!can(c.actor, 'notice.write')) throw new AppError('FORBIDDEN');
      authorize(c.actor, 'notice.write', input.regionCode);
      refuseMarkings('title', input.title);
      refuseMarkings('body', input.body);
      const channelIds = await checkChannels(input.regionCode, input.channelIds, input.confidentiality);
      const id = randomUUID();
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.insert(trx, {
          id,
          region_code: input.regionCode,
          title: input.title,
          body: input.body,
          confidentiality: input.confidentiality,
          channel_ids: JSON.stringify(channelIds),
          status: 'draft',
          author_id: c.actor.id,
          author_name: c.actor.displayName,
          approver_id: null,
          approver_name: null,
          submitted_at: null,
          approved_at: null,
          published_at: null,
          withdrawn_at: null,
          status_reason: null,
          created_at: now,
          updated_at: now,
          version: 1,
        });
        await step(trx, c, id, 'create');
      });
      return fullView(c.actor, (await repo.find(db, id))!);
    },

    async update(c: RequestContext, id: string, input: NoticeUpdate): Promise<Notice> {
      const n = await managed(c, id, 'notice.write');
      const set: Partial<NoticeTable> = {};
      if (input.title !== undefined) {
        refuseMarkings('title', input.title);
        set.title = input.title;
      }
      if (input.body !== undefined) {
        refuseMarkings('body', input.body);
        set.body = input.body;
      }
      if (input.confidentiality !== undefined) set.confidentiality = input.confidentiality;
      if (input.channelIds !== undefined || input.confidentiality !== undefined)
        set.channel_ids = JSON.stringify(
          await checkChannels(
            n.region_code,
            input.channelIds ?? (JSON.parse(n.channel_ids) as string[]),
            input.confidentiality ?? n.confidentiality,
          ),
        );
      return transition(c, n, input.version, 'draft', set, (trx) => step(trx, c, id, 'edit'));
    },

    async attach(c: RequestContext, id: string, version: number, file: { fileName: string; buffer: Buffer }) {
      const n = await managed(c, id, 'notice.write');
      const { type, markings } = await inspectAttachment(file.buffer, file.fileName);
      if (markings.length)
        throw AppError.field(
          'file',
          `附件含有密级标志“${markings.join('、')}”：涉密文件不得通过本平台发布`,
          'CLASSIFIED',
        );
      if ((await repo.attachmentsOf(db, [id])).length >= NOTICE_LIMITS.attachments)
        throw AppError.field('file', `附件最多 ${NOTICE_LIMITS.attachments} 个`, 'TOO_MANY_FILES');
      return transition(c, n, version, 'draft', {}, async (trx) => {
        await repo.insertAttachment(trx, {
          id: randomUUID(),
          notice_id: id,
          file_name: file.fileName.slice(-200),
          file_type: type,
          size: file.buffer.length,
          sha256: createHash('sha256').update(file.buffer).digest('hex'),
          content: file.buffer,
          created_at: clock.now().toISOString(),
        });
        await step(trx, c, id, 'attach', file.fileName.slice(-200));
      });
    },

    async detach(c: RequestContext, id: string, attachmentId: string, version: number) {
      const n = await managed(c, id, 'notice.write');
      const att = await repo.attachment(db, id, attachmentId);
      if (!att) throw AppError.notFound();
      return transition(c, n, version, 'draft', {}, async (trx) => {
        await repo.deleteAttachment(trx, id, attachmentId);
        await step(trx, c, id, 'detach', att.file_name);
      });
    },

    async attachment(c: RequestContext, id: string, attachmentId: string) {
      await readable(c, id);
      const att = await repo.attachment(db, id, attachmentId);
      if (!att) throw AppError.notFound();
      return { fileName: att.file_name, fileType: att.file_type, content: Buffer.from(att.content) };
    },

    async submit(c: RequestContext, id: string, version: number) {
      const n = await managed(c, id, 'notice.write');
      await checkClassified(n);
      return transition(
        c,
        n,
        version,
        'draft',
        { status: 'submitted', submitted_at: clock.now().toISOString(), status_reason: null },
        async (trx) => {
          await step(trx, c, id, 'submit');
          await notify(trx, {
            kind: 'notice_awaiting_approval',
            title: `公告待审批：${n.title}`,
            body: `${c.actor.displayName} 提交了公告，请审批。`,
            link: `/notices/${id}`,
            audience: { roles: ['county_leader'], regionCode: n.region_code },
            dedupeKey: `notice_submit:${id}:${version}`,
          });
        },
      );
    },

    /** Only the county leader approves, and never their own draft; approval publishes in the same transaction. */
    async approve(c: RequestContext, id: string, version: number) {
      const n = await managed(c, id, 'notice.approve');
      if (n.author_id === c.actor.id) throw new AppError('FORBIDDEN', '不能审批自己起草的公告');
      await checkClassified(n);
      const now = clock.now().toISOString();
      return transition(
        c,
        n,
        version,
        'submitted',
        {
          status: 'published',
          approver_id: c.actor.id,
          approver_name: c.actor.displayName,
          approved_at: now,
          published_at: now,
        },
        async (trx) => {
          await step(trx, c, id, 'approve');
          await publish(trx, c, n);
        },
      );
    },

    async return(c: RequestContext, id: string, version: number, reason: string) {
      const n = await managed(c, id, 'notice.approve');
      return transition(c, n, version, 'submitted', { status: 'draft', status_reason: reason }, async (trx) => {
        await step(trx, c, id, 'return', reason);
        await notify(trx, {
          kind: 'notice_returned',
          title: `公告被退回：${n.title}`,
          body: `退回原因：${reason}`,
          link: `/notices/${id}`,
          userIds: [n.author_id],
          dedupeKey: `notice_return:${id}:${version}`,
        });
      });
    },

    async withdraw(c: RequestContext, id: string, version: number, reason: string) {
      const n = await managed(c, id, 'notice.write');
      const now = clock.now().toISOString();
      return transition(
        c,
        n,
        version,
        'published',
        { status: 'withdrawn', withdrawn_at: now, status_reason: reason },
        async (trx) => {
          const deliveries = await repo.deliveries(trx, id);
          await repo.cancelPending(
            trx,
            deliveries.map((d) => d.id),
            '公告已撤回，未发送',
          );
          for (const d of deliveries.filter((x) => x.status === 'pending'))
            await repo.updateDelivery(trx, d.id, {
              status: 'failed',
              last_error: '公告已撤回，未发送',
              updated_at: now,
            });
          await step(trx, c, id, 'withdraw', reason);
        },
      );
    },

    async get(c: RequestContext, id: string): Promise<Notice> {
      return fullView(c.actor, await readable(c, id));
    },

    async list(
      c: RequestContext,
      f: { regionCode?: string; status?: NoticeStatus | 'returned'; q?: string },
      page: { page: number; pageSize: number },
    ) {
      const code = f.regionCode ?? c.actor.regionCode;
      authorize(c.actor, 'notice.read', code);
      const range = f.regionCode ? subtreeRange(code) : actorRange(c.actor);
      const [rows, total] = await Promise.all([repo.list(db, range, f, page), repo.count(db, range, f)]);
      return { data: await views(c.actor, rows), page: { ...page, total } };
    },

    /** The platform's notice board: what the actor's county published, for its contacts and staff. */
    async board(c: RequestContext, page: { page: number; pageSize: number }) {
      if (!can(c.actor, 'notice.board')) throw new AppError('FORBIDDEN');
      if (c.actor.regionLevel === 'province' || c.actor.regionLevel === 'prefecture')
        return { data: [], page: { ...page, total: 0 } };
      // Notices belong to the county itself, so the board's range is that one code.
      const county = { from: countyOf(c.actor.regionCode), to: countyOf(c.actor.regionCode) };
      const [rows, total] = await Promise.all([
        repo.list(db, county, { publishedOnly: true }, page),
        repo.count(db, county, { publishedOnly: true }),
      ]);
      return { data: await views(c.actor, rows), page: { ...page, total } };
    },

    async markRead(c: RequestContext, id: string): Promise<Notice> {
      const n = await readable(c, id);
      if (n.status !== 'published') throw new AppError('INVALID_STATE', '只有已发布的公告可以签收');
      await repo.markRead(db, id, c.actor.id, clock.now().toISOString());
      return fullView(c.actor, n);
    },

    async reads(c: RequestContext, id: string): Promise<NoticeReads> {
      const n = await managed(c, id, 'notice.read');
      const rows = await repo.readers(db, id, subtreeRange(n.region_code, 'county'), POLICY['notice.board']);
      const readers = rows.map((r) => ({
        userId: r.id,
        displayName: r.display_name,
        role: r.role,
        regionName: r.region_name,
        readAt: r.read_at,
      }));
      return { total: readers.length, read: readers.filter((r) => r.readAt).length, readers };
    },

    async deliveries(c: RequestContext, id: string): Promise<NoticeDelivery[]> {
      const n = await managed(c, id, 'notice.read');
      const files = (await repo.attachmentsOf(db, [id])).map((a) => a.file_name);
      const text = pasteText({ ...n, countyName: n.region_name, publishedAt: n.published_at }, files);
      return (await repo.deliveries(db, id)).map((d) => ({
        channelId: d.channel_id,
        channelName: d.channel_name,
        kind: d.channel_kind,
        mode: d.mode as 'robot' | 'manual',
        status: d.status as NoticeDelivery['status'],
        attempts: d.attempts,
        lastError: d.last_error,
        postedByName: d.posted_by_name,
        postedAt: d.posted_at,
        updatedAt: d.updated_at,
        pasteText: d.mode === 'manual' ? text : null,
      }));
    },

    /** A QQ / WeChat group's administrator pasted the notice: who and when. */
    async markPosted(c: RequestContext, id: string, channelId: string): Promise<NoticeDelivery[]> {
      const n = await managed(c, id, 'notice.write');
      if (n.status !== 'published') throw new AppError('INVALID_STATE', '只有已发布的公告可以标记为已张贴');
      const d = await repo.deliveryOf(db, id, channelId);
      if (!d) throw AppError.notFound();
      if (d.mode !== 'manual') throw new AppError('INVALID_STATE', '企业微信群由机器人自动推送，无需手工标记');
      if (d.status === 'sent') return this.deliveries(c, id);
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        await repo.updateDelivery(trx, d.id, {
          status: 'sent',
          attempts: d.attempts + 1,
          posted_by: c.actor.id,
          posted_by_name: c.actor.displayName,
          posted_at: now,
          updated_at: now,
        });
        const [ch] = await channels.channelsOf([channelId], trx);
        await step(trx, c, id, 'posted', ch?.name ?? channelId);
      });
      return this.deliveries(c, id);
    },
  };
}
export type NoticesService = ReturnType<typeof createNoticesService>;
