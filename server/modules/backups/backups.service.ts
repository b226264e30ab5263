import path from 'node:path';
import type { BackupRun, BackupStatus, DrillRequest } from '../../../common/schemas/backups.js';
import { listBackups } from '../../platform/backup/backup.js';
import { lastRun, recentRuns } from '../../platform/backup/runs.js';
import { runBackupCli } from '../../platform/backup/schedule.js';
import type { Platform, RequestContext } from '../../platform/context.js';
import type { BackupRunTable } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import { authorize } from '../../platform/policy.js';

function toRun(r: BackupRunTable | undefined): BackupRun | null {
  if (!r) return null;
  return {
    id: r.id,
    kind: r.kind as BackupRun['kind'],
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    file: r.file,
    bytes: r.bytes,
    verdict: r.verdict,
    detail: r.detail,
    schemaLatest: r.schema_latest,
    trigger: r.trigger,
  };
}

/** 备份与恢复: the sysadmin's view of backups and drills, and the buttons that run one now. */
export class BackupsService {
  private running = false;

  constructor(private readonly platform: Platform) {}

  async status(c: RequestContext): Promise<BackupStatus> {
    authorize(c.actor, 'backup.read');
    const { db, config, clock } = this.platform;
    const [lastBackup, lastOkBackup, lastDrill, lastOkDrill, runs] = await Promise.all([
      lastRun(db, 'backup'),
      lastRun(db, 'backup', { okOnly: true }),
      lastRun(db, 'drill'),
      lastRun(db, 'drill', { okOnly: true }),
      recentRuns(db, 20),
    ]);
    const now = clock.now().getTime();
    const age = (r: BackupRunTable | undefined) => (r ? now - Date.parse(r.finished_at) : Infinity);
    return {
      lastBackup: toRun(lastBackup),
      lastSuccessfulBackup: toRun(lastOkBackup),
      lastDrill: toRun(lastDrill),
      lastSuccessfulDrill: toRun(lastOkDrill),
      backupStale: age(lastOkBackup) > config.backup.warnBackupHours * 3_600_000,
      drillStale: age(lastOkDrill) > config.backup.warnDrillDays * 86_400_000,
      warnBackupHours: config.backup.warnBackupHours,
      warnDrillDays: config.backup.warnDrillDays,
      intervalHours: config.backup.intervalHours,
      drillIntervalHours: config.backup.drillIntervalHours,
      keep: config.backup.keep,
      files: listBackups(config.backup.dir).map((f) => ({ name: f.name, bytes: f.bytes, createdAt: f.at })),
      runs: runs.map((r) => toRun(r)!),
    };
  }

  /** Runs `npm run backup` now (a child process); its run row and audit row say who asked. */
  async backupNow(c: RequestContext): Promise<BackupRun> {
    authorize(c.actor, 'backup.run');
    return this.exclusive(['server/cli/backup.ts', '--trigger', 'web', '--by', c.actor.username], 'backup');
  }

  /** Runs `npm run restore -- FILE --drill` on the named (or newest) backup of BACKUP_DIR. */
  async drillNow(c: RequestContext, input: DrillRequest): Promise<BackupRun> {
    authorize(c.actor, 'backup.run');
    const files = listBackups(this.platform.config.backup.dir);
    const file = input.file ? files.find((f) => f.name === input.file) : files[0];
    if (!file)
      throw new AppError('NOT_FOUND', input.file ? '未找到该备份文件' : '备份目录中还没有备份，请先备份', [
        { path: 'file', message: '未找到该备份文件' },
      ]);
    return this.exclusive(
      [
        'server/cli/restore.ts',
        path.join(this.platform.config.backup.dir, file.name),
        '--drill',
        '--trigger',
        'web',
        '--by',
        c.actor.username,
      ],
      'drill',
    );
  }

  private async exclusive(args: string[], kind: 'backup' | 'drill'): Promise<BackupRun> {
    if (this.running) throw new AppError('CONFLICT', '已有备份或演练正在进行，请稍后再试');
    this.running = true;
    try {
      const outcome = await runBackupCli(this.platform, args);
      const run = toRun(await lastRun(this.platform.db, kind));
      if (outcome.status !== 0 || !run || run.verdict !== 'ok') {
        const m = /^FAILED ([a-z_]+): (.*)$/.exec(outcome.last);
        throw new AppError('CONFLICT', `${kind === 'backup' ? '备份' : '恢复演练'}未通过：${m?.[1] ?? 'backup'}`, [
          { path: m?.[1] ?? 'backup', message: m?.[2] ?? outcome.last.slice(0, 200), code: m?.[1] ?? 'backup' },
        ]);
      }
      return run;
    } finally {
      this.running = false;
    }
  }
}
