import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BackupRun, BackupStatus, DrillRequest } from '../../../common/schemas/backups.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { BackupsService } from './backups.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['backups'];

export function backupsRoutes(app: FastifyInstance, backups: BackupsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/backups',
    {
      schema: {
        tags,
        description: '备份与恢复：最近一次备份、最近一次成功的恢复演练，过期时给出提醒；备份目录中的文件',
        response: { 200: dataEnvelope(BackupStatus), ...errors },
      },
    },
    async (req) => ({ data: await backups.status(ctx(req)) }),
  );
  r.post(
    '/api/v1/backups',
    {
      schema: {
        tags,
        description: '立即备份（与 npm run backup 相同）；未通过时 409，details[0].code 为首个未通过的检查',
        response: { 201: dataEnvelope(BackupRun), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await backups.backupNow(ctx(req)) }),
  );
  r.post(
    '/api/v1/backups/drill',
    {
      schema: {
        tags,
        description: '恢复演练：把备份恢复到临时数据库，逐项校验后删除，并记入审计日志',
        body: DrillRequest,
        response: { 201: dataEnvelope(BackupRun), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send({ data: await backups.drillNow(ctx(req), req.body) }),
  );
}
