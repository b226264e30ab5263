import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { FamiliesExportService } from './families-export.service.js';
import { FamilyListFilters } from '../../../common/schemas/families.js';
import { ImportJob, type ImportMode } from '../../../common/schemas/family-imports.js';
import type { FamilyImportsService } from './family-imports.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const xlsxBody = z.unknown().describe('xlsx');
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const tags = ['families'];

const IdParams = z.object({ id: z.string().max(64) });

const UPLOAD_REFUSALS: Record<string, [string, string]> = {
  FST_REQ_FILE_TOO_LARGE: [`文件过大，最大 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 'FILE_TOO_LARGE'],
  FST_FILES_LIMIT: ['一次只能上传一个文件', 'TOO_MANY_FILES'],
  FST_FIELDS_LIMIT: ['请求字段过多', 'TOO_MANY_FIELDS'],
  FST_PARTS_LIMIT: ['请求字段过多', 'TOO_MANY_FIELDS'],
};

/** The `file` part and the `mode` field of the upload; every refusal names `file` (or `mode`). */
async function readUpload(
  req: FastifyRequest,
): Promise<{ file: { buffer: Buffer; fileName: string }; mode: ImportMode }> {
  if (!req.isMultipart())
    throw AppError.field('file', '请以 multipart/form-data 上传文件（字段 file）', 'FILE_REQUIRED');
  let file: { buffer: Buffer; fileName: string } | undefined;
  let mode: string | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.fieldname === 'file') file = { buffer, fileName: part.filename };
      } else if (part.fieldname === 'mode') mode = String(part.value);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const [message, code] = UPLOAD_REFUSALS[(err as { code?: string }).code ?? ''] ?? [
      '上传内容不完整或格式不正确，请重新上传',
      'UPLOAD_MALFORMED',
    ];
    throw AppError.field('file', message, code);
  }
  if (!file || file.buffer.length === 0)
    throw AppError.field('file', '请选择要上传的 .xlsx 或 .csv 文件', 'FILE_REQUIRED');
  if (mode !== 'validate' && mode !== 'commit')
    throw AppError.field('mode', 'mode 应为 validate（仅校验）或 commit（校验并导入）', 'MODE');
  return { file, mode };
}

/** Import jobs, the import template and the masked family export (issue 3 parts 7 and 8). */
export async function familyFilesRoutes(
  app: FastifyInstance,
  services: { familyImports: FamilyImportsService; familiesExport: FamiliesExportService },
): Promise<void> {
  const { familyImports: imports, familiesExport } = services;
  app.addHook('onReady', async () => {
    await imports.failStaleJobs();
  });
  app.addHook('onClose', async () => {
    await imports.drain();
  });

  await app.register(async (scope) => {
    // Multipart only here: the rest of the API keeps its 1 MB JSON body limit.
    await scope.register(multipart, {
      limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 },
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/family-imports/template.xlsx',
      {
        schema: {
          tags,
          description: '导入模板（含下拉选项、填写说明和示例行）',
          response: { 200: xlsxBody, ...errors },
        },
      },
      async (req, reply) => {
        const buffer = await imports.template(ctx(req));
        return reply.type(XLSX).header('Content-Disposition', contentDisposition('特殊家庭导入模板.xlsx')).send(buffer);
      },
    );

    r.post(
      '/api/v1/family-imports',
      {
        schema: {
          tags,
          description:
            'multipart/form-data: file（.xlsx 或 .csv，≤ 10 MB）、mode（validate 或 commit）。202 后在后台执行',
          consumes: ['multipart/form-data'],
          response: { 202: dataEnvelope(ImportJob), 429: ErrorBody, ...errors },
        },
      },
      async (req, reply) => {
        const c = ctx(req);
        imports.assertMayImport(c);
        const { file, mode } = await readUpload(req);
        const wait = mode === 'validate' ? imports.takeValidateSlot(c) : null;
        if (wait !== null) {
          reply.header('Retry-After', String(wait));
          throw new AppError('RATE_LIMITED', `校验次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`);
        }
        const job = await imports.start(c, file, mode, (err) =>
          req.log.error(
            { err: { name: (err as Error)?.name, code: (err as { code?: string })?.code } },
            'import crashed',
          ),
        );
        return reply.code(202).send({ data: job });
      },
    );

    r.get(
      '/api/v1/family-imports/:id',
      { schema: { tags, params: IdParams, response: { 200: dataEnvelope(ImportJob), ...errors } } },
      async (req) => ({ data: await imports.get(ctx(req), req.params.id) }),
    );

    r.get(
      '/api/v1/family-imports/:id/errors.xlsx',
      {
        schema: {
          tags,
          description: '出错的行（原样）加“错误原因”列，以及错误清单；仅上传者可下载',
          params: IdParams,
          response: { 200: xlsxBody, ...errors },
        },
      },
      async (req, reply) => {
        const buffer = await imports.errorWorkbook(ctx(req), req.params.id);
        return reply.type(XLSX).header('Content-Disposition', contentDisposition('导入错误清单.xlsx')).send(buffer);
      },
    );

    r.get(
      '/api/v1/families/export.xlsx',
      {
        schema: {
          tags,
          description: '按列表筛选条件导出（身份证号、电话已脱敏），导出留痕',
          querystring: FamilyListFilters,
          response: { 200: xlsxBody, ...errors },
        },
      },
      async (req, reply) => {
        const { buffer, fileName } = await familiesExport.familiesXlsx(ctx(req), req.query);
        return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
      },
    );
  });
}
