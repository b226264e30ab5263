import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEventView, AuditQuery, AuditVerification } from '../../../common/schemas/audit.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { AuditService } from './audit.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function auditRoutes(app: FastifyInstance, audit: AuditService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/audit-events',
    {
      schema: {
        tags: ['audit'],
        description: '审计日志（仅安全审计员；本辖区内的事件）',
        querystring: PageQuery.extend(AuditQuery.shape),
        response: { 200: listEnvelope(AuditEventView), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return audit.list(ctx(req), filters, { page, pageSize });
    },
  );

  r.get(
    '/api/v1/audit-events.xlsx',
    {
      schema: {
        tags: ['audit'],
        description: '按筛选条件导出审计日志（xlsx），导出本身留痕',
        querystring: AuditQuery,
        response: { 200: z.unknown().describe('xlsx'), ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await audit.exportXlsx(ctx(req), req.query);
      return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
    },
  );

  r.get(
    '/api/v1/audit-events/verify',
    {
      schema: {
        tags: ['audit'],
        description: '校验审计日志链，并与库外最新签名检查点比对',
        response: { 200: dataEnvelope(AuditVerification), ...errors },
      },
    },
    async (req) => ({ data: await audit.verify(ctx(req)) }),
  );
}
