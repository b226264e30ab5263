import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  NOTICE_STATUSES,
  Notice,
  NoticeCreate,
  NoticeDelivery,
  NoticeListItem,
  NoticeReads,
  NoticeReasonStep,
  NoticeStep,
  NoticeUpdate,
} from '../../../common/schemas/notices.js';
import { LIMITS } from '../../../common/limits.js';
import { AppError } from '../../platform/errors.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import { contentDisposition } from '../../platform/spreadsheets/index.js';
import { ATTACHMENT_MAX_BYTES } from './attachments.js';
import type { NoticesService } from './notices.service.js';

const RegionCode = z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const tags = ['notices'];
const IdParams = z.object({ id: z.string().max(64) });
const MIME = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as Record<string, string>;

/** The `file` part and the notice's `version`; every refusal names the field. */
async function readAttachment(req: FastifyRequest) {
  if (!req.isMultipart())
    throw AppError.field('file', '请以 multipart/form-data 上传附件（字段 file）', 'FILE_REQUIRED');
  let file: { buffer: Buffer; fileName: string } | undefined;
  let version: number | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (part.fieldname === 'file') file = { buffer, fileName: part.filename };
      } else if (part.fieldname === 'version') version = Number(part.value);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw AppError.field('file', '附件过大，最大 10 MB', 'FILE_TOO_LARGE');
    throw AppError.field('file', '上传内容不完整或格式不正确，请重新上传', 'UPLOAD_MALFORMED');
  }
  if (!file || file.buffer.length === 0)
    throw AppError.field('file', '请选择要上传的附件（PDF、xlsx 或 docx）', 'FILE_REQUIRED');
  if (!version || !Number.isInteger(version) || version < 1) throw AppError.field('version', '缺少版本号', 'VERSION');
  return { file, version };
}

export async function noticesRoutes(app: FastifyInstance, notices: NoticesService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/notices',
    { schema: { tags, body: NoticeCreate, response: { 201: dataEnvelope(Notice), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await notices.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/notices',
    {
      schema: {
        tags,
        querystring: PageQuery.extend({
          regionCode: RegionCode.optional(),
          /** `returned`: drafts the leader sent back (草稿 lists them too). */
          status: z.enum([...NOTICE_STATUSES, 'returned']).optional(),
          q: z.string().trim().max(LIMITS.search).optional(),
        }),
        response: { 200: listEnvelope(NoticeListItem), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...f } = req.query;
      return notices.list(ctx(req), f, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/notice-board',
    {
      schema: {
        tags,
        description: '本县已发布的公告（联系人和工作人员的公告栏）',
        querystring: PageQuery,
        response: { 200: listEnvelope(NoticeListItem), ...errors },
      },
    },
    async (req) => notices.board(ctx(req), req.query),
  );
  r.get(
    '/api/v1/notices/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(Notice), ...errors } } },
    async (req) => ({ data: await notices.get(ctx(req), req.params.id) }),
  );
  r.patch(
    '/api/v1/notices/:id',
    { schema: { tags, params: IdParams, body: NoticeUpdate, response: { 200: dataEnvelope(Notice), ...errors } } },
    async (req) => ({ data: await notices.update(ctx(req), req.params.id, req.body) }),
  );
  for (const step of ['submit', 'approve'] as const)
    r.post(
      `/api/v1/notices/:id/${step}`,
      { schema: { tags, params: IdParams, body: NoticeStep, response: { 200: dataEnvelope(Notice), ...errors } } },
      async (req) => ({ data: await notices[step](ctx(req), req.params.id, req.body.version) }),
    );
  for (const step of ['return', 'withdraw'] as const)
    r.post(
      `/api/v1/notices/:id/${step}`,
      {
        schema: { tags, params: IdParams, body: NoticeReasonStep, response: { 200: dataEnvelope(Notice), ...errors } },
      },
      async (req) => ({ data: await notices[step](ctx(req), req.params.id, req.body.version, req.body.reason) }),
    );
  r.post(
    '/api/v1/notices/:id/read',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(Notice), ...errors } } },
    async (req) => ({ data: await notices.markRead(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/notices/:id/reads',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(NoticeReads), ...errors } } },
    async (req) => ({ data: await notices.reads(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/notices/:id/deliveries',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(z.array(NoticeDelivery)), ...errors } } },
    async (req) => ({ data: await notices.deliveries(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/notices/:id/deliveries/:channelId/posted',
    {
      schema: {
        tags,
        description: 'QQ群、微信群管理员已把公告贴到群里（记录人和时间）',
        params: z.object({ id: z.string().max(64), channelId: z.string().max(64) }),
        response: { 200: dataEnvelope(z.array(NoticeDelivery)), ...errors },
      },
    },
    async (req) => ({ data: await notices.markPosted(ctx(req), req.params.id, req.params.channelId) }),
  );
  r.get(
    '/api/v1/notices/:id/attachments/:attachmentId',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64), attachmentId: z.string().max(64) }),
        response: { 200: z.unknown().describe('file'), ...errors },
      },
    },
    async (req, reply) => {
      const file = await notices.attachment(ctx(req), req.params.id, req.params.attachmentId);
      return reply
        .type(MIME[file.fileType] ?? 'application/octet-stream')
        .header('Content-Disposition', contentDisposition(file.fileName))
        .send(file.content);
    },
  );
  r.delete(
    '/api/v1/notices/:id/attachments/:attachmentId',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64), attachmentId: z.string().max(64) }),
        querystring: z.object({ version: z.coerce.number().int().min(1) }),
        response: { 200: dataEnvelope(Notice), ...errors },
      },
    },
    async (req) => ({
      data: await notices.detach(ctx(req), req.params.id, req.params.attachmentId, req.query.version),
    }),
  );

  await app.register(async (scope) => {
    // Multipart only here: the rest of the API keeps its 1 MB JSON body limit.
    await scope.register(multipart, { limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 3, parts: 4 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/notices/:id/attachments',
      {
        schema: {
          tags,
          description: 'multipart/form-data：file（PDF、xlsx 或 docx，≤ 10 MB，按内容识别）、version',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: dataEnvelope(Notice), ...errors },
        },
      },
      async (req, reply) => {
        const { file, version } = await readAttachment(req);
        return reply.code(201).send({ data: await notices.attach(ctx(req), req.params.id, version, file) });
      },
    );
  });
}
