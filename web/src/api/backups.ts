import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BackupRun, BackupStatus, DrillRequest } from '../../../common/schemas/backups';
import { api, type Envelope } from './client';

export type { BackupRun, BackupStatus };

const backupKeys = { status: ['backups', 'status'] as const };

/** 备份与恢复: the last backup, the last successful drill, the files and the recent runs. */
export function useBackupStatus() {
  return useQuery({
    queryKey: backupKeys.status,
    queryFn: async ({ signal }) => (await api.get<Envelope<BackupStatus>>('/backups', undefined, signal)).data,
  });
}

export function useBackupNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => (await api.post<Envelope<BackupRun>>('/backups')).data,
    onSettled: () => qc.invalidateQueries({ queryKey: backupKeys.status }),
  });
}

export function useDrillNow() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: DrillRequest) => (await api.post<Envelope<BackupRun>>('/backups/drill', body)).data,
    onSettled: () => qc.invalidateQueries({ queryKey: backupKeys.status }),
  });
}
