import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MonthParam } from '../../../common/schemas/fields.js';
import { ctx, ErrorBody } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { OverdueExportService } from './overdue-export.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function overdueExportRoutes(app: FastifyInstance, exports: OverdueExportService): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/compliance/overdue.xlsx',
    {
      schema: {
        tags: ['compliance'],
        description: '本月未登门走访的家庭名单（xlsx，电话已脱敏），导出留痕',
        querystring: z.object({
          regionCode: z
            .string()
            .regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' })
            .optional(),
          month: MonthParam.optional(),
        }),
        response: { 200: z.unknown().describe('xlsx'), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await exports.overdueXlsx(ctx(req), req.query.regionCode, req.query.month);
      return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
    },
  );
}
