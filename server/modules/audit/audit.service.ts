import { describeAuditChanges } from '../../../common/audit-format.js';
import {
  AUDIT_ACTIONS,
  AUDIT_CATEGORY_LABELS,
  AUDIT_OUTCOME_LABELS,
  AUDIT_TARGET_LABELS,
} from '../../../common/labels.js';
import type { AuditAction, AuditCategory } from '../../../common/labels.js';
import { ROLE_LABELS, type Role } from '../../../common/roles.js';
import type { AuditChanges, AuditEventView, AuditQuery } from '../../../common/schemas/audit.js';
import { AuditChangesV1 } from '../../../common/schemas/audit.js';
import { verifyAudit } from '../../platform/audit/anchor.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';
import { actorRange } from '../../platform/scope.js';
import { writeXlsx, type XlsxColumn } from '../../platform/spreadsheets/index.js';
import * as repo from './audit.repository.js';

export const AUDIT_EXPORT_MAX_ROWS = 50_000;
const EXPORT_BATCH = 1_000;

function knownAction(action: string): { label: string; category: AuditCategory } | undefined {
  return (AUDIT_ACTIONS as Record<string, { label: string; category: AuditCategory }>)[action];
}

/**
 * What the auditor is shown of a stored `changes`: format 1 as stored (it holds no personal value in clear);
 * anything older or unreadable only as the list of its keys, since rows written before format 1 may carry
 * names and addresses.
 */
export function readChanges(raw: string | null): AuditChanges | null {
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { v: 0, keys: [] };
  }
  const v1 = AuditChangesV1.safeParse(parsed);
  if (v1.success) return v1.data;
  const keys = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  return { v: 0, keys: keys.map((k) => k.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 120)).slice(0, 100) };
}

function targetLabel(r: repo.AuditRow): string | null {
  if (r.target_type === 'family') return r.target_archive_no ?? null;
  if (r.target_type === 'user') return r.target_username ?? null;
  if (r.target_type === 'region') return r.target_region_name ?? r.target_id;
  return null;
}

function view(r: repo.AuditRow): AuditEventView {
  const known = knownAction(r.action);
  return {
    seq: r.seq,
    occurredAt: r.occurred_at,
    actorUsername: r.actor_username,
    actorRole: (r.actor_role as Role | null) ?? null,
    actorRegionCode: r.actor_region_code,
    action: r.action,
    actionLabel: known?.label ?? r.action,
    category: known?.category ?? null,
    targetType: r.target_type,
    targetId: r.target_id,
    targetLabel: targetLabel(r),
    targetRegionCode: r.target_region_code,
    targetRegionName: r.target_region_name ?? null,
    outcome: r.outcome,
    ip: r.ip,
    requestId: r.request_id,
    changes: readChanges(r.changes),
  };
}

const EXPORT_COLUMNS: XlsxColumn[] = [
  { header: '序号', key: 'seq', text: false },
  { header: '时间', key: 'occurredAt', width: 20 },
  { header: '操作人', key: 'actor', width: 18 },
  { header: '角色', key: 'role', width: 16 },
  { header: '类别', key: 'category', width: 12 },
  { header: '操作', key: 'action', width: 22 },
  { header: '对象', key: 'target', width: 26 },
  { header: '对象所在区划', key: 'region', width: 20 },
  { header: '结果', key: 'outcome', width: 8 },
  { header: 'IP', key: 'ip', width: 16 },
  { header: '详情', key: 'detail', width: 60 },
];

/** An instant as China time 'YYYY-MM-DD HH:mm:ss'. */
function chinaTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function exportRow(e: AuditEventView): Record<string, unknown> {
  const typeLabel = e.targetType ? (AUDIT_TARGET_LABELS[e.targetType] ?? e.targetType) : '';
  return {
    seq: e.seq,
    occurredAt: chinaTime(e.occurredAt),
    actor: e.actorUsername ?? '',
    role: e.actorRole ? ROLE_LABELS[e.actorRole] : '',
    category: e.category ? AUDIT_CATEGORY_LABELS[e.category] : '',
    action: e.actionLabel,
    target: e.targetType ? `${typeLabel} ${e.targetLabel ?? e.targetId ?? ''}`.trim() : '',
    region: e.targetRegionName ?? e.targetRegionCode ?? '',
    outcome: AUDIT_OUTCOME_LABELS[e.outcome as keyof typeof AUDIT_OUTCOME_LABELS] ?? e.outcome,
    ip: e.ip ?? '',
    detail: describeAuditChanges(e.changes).join('\n'),
  };
}

export function createAuditService(platform: Platform) {
  const { db, audit, anchor } = platform;

  function scopeOf(c: RequestContext): repo.AuditScope {
    return { range: actorRange(c.actor), includeUnplaced: c.actor.regionLevel === 'province' };
  }

  function filtersOf(q: AuditQuery): repo.AuditFilters {
    const { category, ...rest } = q;
    const actions = category
      ? (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((a) => AUDIT_ACTIONS[a].category === category)
      : undefined;
    return { ...rest, actions };
  }

  return {
    /** The audit log is read by the auditor alone (三员 separation), over the events of the auditor's subtree. */
    async list(c: RequestContext, q: AuditQuery, page: { page: number; pageSize: number }) {
      authorize(c.actor, 'audit.read');
      const scope = scopeOf(c);
      const filters = filtersOf(q);
      const [total, rows] = await Promise.all([
        repo.countAuditEvents(db, scope, filters),
        repo.listAuditEvents(db, scope, filters, page),
      ]);
      return { data: rows.map(view), page: { ...page, total } };
    },

    /** The filtered log as xlsx (formula-safe through writeXlsx), itself audited. */
    async exportXlsx(c: RequestContext, q: AuditQuery): Promise<{ buffer: Buffer; fileName: string }> {
      authorize(c.actor, 'audit.read');
      const scope = scopeOf(c);
      const filters = filtersOf(q);
      const total = await repo.countAuditEvents(db, scope, filters);
      if (total > AUDIT_EXPORT_MAX_ROWS)
        throw AppError.field(
          'from',
          `导出超过 ${AUDIT_EXPORT_MAX_ROWS} 条，请缩小时间范围后再导出`,
          'EXPORT_TOO_LARGE',
        );
      const rows: Array<Record<string, unknown>> = [];
      for (let p = 1; (p - 1) * EXPORT_BATCH < total; p++) {
        const batch = await repo.listAuditEvents(db, scope, filters, { page: p, pageSize: EXPORT_BATCH });
        if (batch.length === 0) break;
        for (const r of batch) rows.push(exportRow(view(r)));
      }
      const buffer = await writeXlsx([{ name: '审计日志', columns: EXPORT_COLUMNS, rows, dropdownRows: 1 }]);
      await db.transaction().execute((trx) =>
        audit.record(trx, c, {
          action: 'audit.export',
          targetType: 'region',
          targetId: c.actor.regionCode,
          changes: {
            rowCount: rows.length,
            ...(q.category ? { category: q.category } : {}),
            ...(q.action ? { action: q.action } : {}),
            ...(q.from ? { from: q.from } : {}),
            ...(q.to ? { to: q.to } : {}),
          },
        }),
      );
      const day = chinaTime(platform.clock.now().toISOString()).slice(0, 10);
      return { buffer, fileName: `审计日志-${day}.xlsx` };
    },

    async verify(c: RequestContext) {
      authorize(c.actor, 'audit.read');
      return verifyAudit(db, audit, anchor);
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
