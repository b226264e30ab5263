import { randomUUID } from 'node:crypto';
import type { Role } from '../../../common/roles.js';
import type {
  RankingFigure,
  SupervisionOrder,
  SupervisionOrderCreate,
  SupervisionOrderReply,
} from '../../../common/schemas/supervision-orders.js';
import { chinaDate } from '../../platform/clock.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize, can } from '../../platform/policy.js';
import { actorRange, isInScope, type Actor } from '../../platform/scope.js';
import type { Notify } from '../notifications/notifications.service.js';
import { regionByCode } from '../regions/regions.service.js';
import * as repo from './supervision-orders.repository.js';

/** Who answers for a region: the staff of its own level (a county's staff and leader, a township's staff). */
const ANSWERING: Record<string, Role[]> = {
  prefecture: ['prefecture_staff'],
  county: ['county_staff', 'county_leader'],
  township: ['township_staff'],
};

/**
 * 督办 (issue 11 item 13): a level presses one of its direct child regions on a gap — what, by when. The
 * order lands in the child's todos (and bell) and stays open until the child's staff reply; the sender sees
 * the reply. Each step audited in its own transaction.
 */
export function createSupervisionOrdersService(platform: Platform, hooks: { notify?: Notify } = {}) {
  const { db, clock, audit } = platform;
  const today = () => chinaDate(clock.now());

  function mayReply(actor: Actor, row: { region_code: string; status: string }): boolean {
    return row.status === 'open' && row.region_code === actor.regionCode && can(actor, 'supervisionOrder.reply');
  }

  function view(actor: Actor, r: repo.OrderRow): SupervisionOrder {
    return {
      id: r.id,
      fromRegionCode: r.from_region_code,
      fromRegionName: r.from_region_name,
      regionCode: r.region_code,
      regionName: r.region_name,
      title: r.title,
      body: r.body,
      figure: r.figure as RankingFigure | null,
      dueOn: r.due_on,
      status: r.status as SupervisionOrder['status'],
      isOverdue: r.status === 'open' && r.due_on < today(),
      createdByName: r.created_by_name,
      createdAt: r.created_at,
      reply: r.reply,
      repliedByName: r.replied_by_name,
      repliedAt: r.replied_at,
      version: r.version,
      abilities: { reply: mayReply(actor, r) },
    };
  }

  /** An order is visible to its sender's region and to the region it was sent to (and their supervisors). */
  async function getVisible(actor: Actor, id: string): Promise<repo.OrderRow> {
    const row = await repo.findOrder(db, id);
    if (!row || !(isInScope(actor, row.region_code) || isInScope(actor, row.from_region_code)))
      throw AppError.notFound();
    authorize(actor, 'supervisionOrder.read');
    return row;
  }

  return {
    async create(c: RequestContext, input: SupervisionOrderCreate): Promise<SupervisionOrder> {
      authorize(c.actor, 'supervisionOrder.send', input.regionCode);
      const target = await regionByCode(db, input.regionCode);
      if (!target) throw AppError.notFound();
      if (target.parent_code !== c.actor.regionCode || !ANSWERING[target.level])
        throw AppError.field('regionCode', '督办只能发给本级直接管辖的下一级区划', 'REGION_NOT_CHILD');
      if (input.dueOn < today()) throw AppError.field('dueOn', '办理期限不能早于今天', 'DATE_PAST');
      const now = clock.now().toISOString();
      const row = {
        id: randomUUID(),
        from_region_code: c.actor.regionCode,
        region_code: target.code,
        title: input.title,
        body: input.body ?? null,
        figure: input.figure ?? null,
        due_on: input.dueOn,
        status: 'open',
        created_by: c.actor.id,
        created_by_name: c.actor.displayName,
        created_at: now,
        reply: null,
        replied_by: null,
        replied_by_name: null,
        replied_at: null,
        version: 1,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertOrder(trx, row);
        await audit.record(trx, c, {
          action: 'supervision_order.create',
          targetType: 'region',
          targetId: target.code,
          changes: {
            orderId: row.id,
            regionCode: target.code,
            dueOn: row.due_on,
            figure: row.figure,
            title: row.title,
          },
        });
        if (hooks.notify)
          await hooks.notify(trx, {
            kind: 'supervision_order',
            title: `督办：${row.title}`.slice(0, 100),
            body: `请于 ${row.due_on} 前办理并答复。`,
            link: '/supervision-orders',
            audience: { roles: ANSWERING[target.level], regionCode: target.code },
            dedupeKey: `supervision_order:${row.id}`,
            isUrgent: false,
          });
      });
      return view(c.actor, (await repo.findOrder(db, row.id))!);
    },

    /** What the actor's region sent, and what was sent to it (or, for a supervisor, to the regions below). */
    async list(c: RequestContext, box: 'sent' | 'received'): Promise<SupervisionOrder[]> {
      authorize(c.actor, 'supervisionOrder.read');
      const rows =
        box === 'sent'
          ? await repo.listOrders(db, { fromRegion: c.actor.regionCode })
          : await repo.listOrders(db, { toRange: actorRange(c.actor) });
      return rows
        .filter((r) => box === 'sent' || r.from_region_code !== c.actor.regionCode)
        .map((r) => view(c.actor, r));
    },

    async get(c: RequestContext, id: string): Promise<SupervisionOrder> {
      return view(c.actor, await getVisible(c.actor, id));
    },

    async reply(c: RequestContext, id: string, input: SupervisionOrderReply): Promise<SupervisionOrder> {
      const row = await getVisible(c.actor, id);
      authorize(c.actor, 'supervisionOrder.reply');
      if (row.region_code !== c.actor.regionCode) throw new AppError('FORBIDDEN', '督办由被督办区划的工作人员答复');
      if (row.status !== 'open') throw new AppError('INVALID_STATE', '该督办已答复办结');
      await db.transaction().execute(async (trx) => {
        const ok = await repo.closeOrder(trx, id, input.version, {
          reply: input.reply,
          replied_by: c.actor.id,
          replied_by_name: c.actor.displayName,
          replied_at: clock.now().toISOString(),
        });
        if (!ok) throw new AppError('VERSION_CONFLICT');
        await audit.record(trx, c, {
          action: 'supervision_order.reply',
          targetType: 'region',
          targetId: row.region_code,
          changes: { orderId: id, reply: input.reply },
        });
        if (hooks.notify)
          await hooks.notify(trx, {
            kind: 'supervision_reply',
            title: `督办已答复：${row.title}`.slice(0, 100),
            body: `${row.region_name}已答复。`,
            link: '/supervision-orders?box=sent',
            userIds: [row.created_by],
            dedupeKey: `supervision_reply:${id}`,
            isUrgent: false,
          });
      });
      return view(c.actor, (await repo.findOrder(db, id))!);
    },

    /** The open orders addressed to the actor's own region, for 我的待办. */
    async todosFor(actor: Actor) {
      if (!can(actor, 'supervisionOrder.reply')) return [];
      const rows = await repo.openOrdersFor(db, actor.regionCode);
      return rows.map((r) => ({
        id: r.id,
        title: `督办：${r.title}`,
        regionName: r.from_region_name,
        dueAt: r.due_on,
        detail: `${r.from_region_name}于 ${r.created_at.slice(0, 10)} 督办，请于 ${r.due_on} 前答复`,
        overdue: r.due_on < today(),
      }));
    },
  };
}
export type SupervisionOrdersService = ReturnType<typeof createSupervisionOrdersService>;
