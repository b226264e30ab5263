import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  MAX_PACKAGE_BYTES,
  PackageAcceptResult,
  PackageImportResult,
  XlsxExportRequest,
} from '../../../common/schemas/stat-packages.js';
import { AppError } from '../../platform/errors.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import type { StatPackagesService } from './stat-packages.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const binary = z.unknown().describe('binary');
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const tags = ['stat-returns'];
const IdParams = z.object({ id: z.string().max(64) });

const invalid = (message: string, code: string) =>
  new AppError('PACKAGE_INVALID', message, [{ path: 'file', message, code }]);

/** The `file` part, whole; anything else about the upload is a PACKAGE_INVALID naming `file`. */
async function readPackage(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) throw invalid('请以 multipart/form-data 上传报表包（字段 file）', 'FILE_REQUIRED');
  let file: Buffer | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.fieldname === 'file') file = buffer;
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw invalid(`文件过大：报表包不超过 ${MAX_PACKAGE_BYTES / 1024 / 1024} MB，这不是报表包`, 'FILE_TOO_LARGE');
    }
    throw invalid('上传内容不完整或格式不正确，请重新上传', 'UPLOAD_MALFORMED');
  }
  if (!file || file.length === 0) throw invalid('请选择要导入的报表包文件', 'FILE_REQUIRED');
  return file;
}

/** The import of a package and the two exports of a return (the package and the encrypted workbook). */
export async function statPackagesRoutes(app: FastifyInstance, packages: StatPackagesService): Promise<void> {
  await app.register(async (scope) => {
    // Multipart only here, bounded to a package's size; the rest of the API keeps its JSON limit.
    await scope.register(multipart, { limits: { fileSize: MAX_PACKAGE_BYTES, files: 1, fields: 2, parts: 3 } });
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/v1/stat-return-packages',
      {
        schema: {
          tags,
          description:
            'multipart/form-data: file（GB/T 35275 签名数字信封 DER，≤ 1 MB）。验证签名方公钥、签名、接收方、数据密钥、内容摘要后返回报表；不保存任何数据，失败为 400 PACKAGE_INVALID 并说明原因',
          consumes: ['multipart/form-data'],
          response: { 200: dataEnvelope(PackageImportResult), ...errors },
        },
      },
      async (req) => {
        const c = ctx(req);
        const bytes = await readPackage(req);
        return { data: await packages.importPackage(c, bytes) };
      },
    );
    r.post(
      '/api/v1/stat-return-packages/accept',
      {
        schema: {
          tags,
          description:
            'multipart/form-data: file。验证同上，然后作为下级单位（自建平台）的上报报表接收：数据按报表包冻结，进入本级的审核（通过/退回）；签名、接收方、报表期、区划不符或该期报表已上报/已审核时为 400 PACKAGE_INVALID 并说明原因',
          consumes: ['multipart/form-data'],
          response: { 201: dataEnvelope(PackageAcceptResult), ...errors },
        },
      },
      async (req, reply) => {
        const c = ctx(req);
        const bytes = await readPackage(req);
        return reply.code(201).send({ data: await packages.acceptPackage(c, bytes) });
      },
    );
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/stat-returns/:id/package',
    {
      schema: {
        tags,
        description:
          '已上报或已审核报表的加密签名报表包（GB/T 35275 signedAndEnvelopedData DER），报送上一级；导出留痕',
        params: IdParams,
        response: { 200: binary, ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await packages.buildPackage(ctx(req), req.params.id);
      return reply
        .type('application/octet-stream')
        .header('Content-Disposition', contentDisposition(fileName))
        .send(buffer);
    },
  );
  r.post(
    '/api/v1/stat-returns/:id/xlsx',
    {
      schema: {
        tags,
        description: '报表的加密 Excel（Office 标准加密 AES-256），密码由本人设置，不保存、不记录',
        params: IdParams,
        body: XlsxExportRequest,
        response: { 200: binary, ...errors },
      },
    },
    async (req, reply) => {
      const { buffer, fileName } = await packages.encryptedXlsx(ctx(req), req.params.id, req.body.password);
      return reply.type(XLSX).header('Content-Disposition', contentDisposition(fileName)).send(buffer);
    },
  );
}
