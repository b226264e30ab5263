import { z } from 'zod';

/**
 * 备份与恢复 (issue 18): backups and restore drills as the sysadmin sees them. `verdict` is `ok` or the name of
 * the first check that failed (docs/operations.md "Checks"); `detail` a fixed English reason, never data.
 */
export const BACKUP_TRIGGERS = ['cli', 'scheduler', 'web'] as const;
export const BACKUP_TRIGGER_LABELS: Record<(typeof BACKUP_TRIGGERS)[number], string> = {
  cli: '命令行',
  scheduler: '定时任务',
  web: '页面操作',
};

/** The checks a backup and a restore go through, in order, with their Chinese names. */
export const BACKUP_CHECK_LABELS: Record<string, string> = {
  ok: '通过',
  file: '文件可读',
  format: '文件格式',
  truncated: '文件完整（未截断）',
  key: '本部署密钥',
  integrity: '完整性校验（HMAC-SM3）',
  schema: '数据库结构版本',
  dialect: '数据库类型',
  target_not_empty: '目标库为空',
  target: '目标库可连接',
  load: '载入数据',
  integrity_check: '数据库完整性检查',
  digests: '逐表行数与 SM3 摘要',
  audit_chain: '审计链至备份时链头',
  audit_anchor: '审计链含锚定检查点',
  overlap: '无正在进行的备份',
  disk_full: '备份目录空间',
  backup: '备份过程',
  restore: '恢复过程',
};

export const BackupRun = z.object({
  id: z.string(),
  kind: z.enum(['backup', 'drill']),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number().int(),
  file: z.string().nullable(),
  bytes: z.number().int().nullable(),
  verdict: z.string(),
  detail: z.string().nullable(),
  schemaLatest: z.string().nullable(),
  trigger: z.string(),
});
export type BackupRun = z.infer<typeof BackupRun>;

export const BackupFile = z.object({ name: z.string(), bytes: z.number().int(), createdAt: z.string() });
export type BackupFile = z.infer<typeof BackupFile>;

export const BackupStatus = z.object({
  lastBackup: BackupRun.nullable(),
  lastSuccessfulBackup: BackupRun.nullable(),
  lastDrill: BackupRun.nullable(),
  lastSuccessfulDrill: BackupRun.nullable(),
  /** No successful backup within `warnBackupHours`, or none at all. */
  backupStale: z.boolean(),
  /** No successful drill within `warnDrillDays`, or none at all. */
  drillStale: z.boolean(),
  warnBackupHours: z.number().int(),
  warnDrillDays: z.number().int(),
  intervalHours: z.number().int(),
  drillIntervalHours: z.number().int(),
  keep: z.number().int(),
  files: z.array(BackupFile),
  runs: z.array(BackupRun),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

/** POST /backups/drill: drill a named file of the backup directory, or the newest when left out. */
export const DrillRequest = z.strictObject({
  file: z
    .string()
    .regex(/^guanhuai-\d{8}T\d{9}Z-[0-9a-f]{4}\.ghbk$/, { error: '备份文件名不正确' })
    .optional(),
});
export type DrillRequest = z.infer<typeof DrillRequest>;
