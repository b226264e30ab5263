import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AttendanceImportResult,
  AttendanceSet,
  ContactTrainings,
  Training,
  TrainingCoverage,
  TrainingCoverageQuery,
  TrainingCreate,
  TrainingDetail,
  TrainingListQuery,
} from '../../../common/schemas/trainings.js';
import { AppError } from '../../platform/errors.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { TrainingsService } from './trainings.service.js';

const IdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody };
const MAX_SHEET_BYTES = 2 * 1024 * 1024;

/** The sign-in sheet and the mode; every refusal names `file` or `mode`. */
async function readSheet(req: FastifyRequest) {
  if (!req.isMultipart())
    throw AppError.field('file', '请以 multipart/form-data 上传签到表（字段 file）', 'FILE_REQUIRED');
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
    const tooLarge = (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE';
    throw AppError.field('file', tooLarge ? '签到表过大，最大 2 MB' : '上传内容不完整或格式不正确', 'UPLOAD_MALFORMED');
  }
  if (!file || file.buffer.length === 0) throw AppError.field('file', '请选择签到表（.xlsx 或 .csv）', 'FILE_REQUIRED');
  if (mode !== 'validate' && mode !== 'commit')
    throw AppError.field('mode', 'mode 应为 validate（仅校验）或 commit（校验并登记）', 'MODE');
  return { file, mode: mode as 'validate' | 'commit' };
}

export async function trainingsRoutes(app: FastifyInstance, trainings: TrainingsService): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['trainings'];
  r.get(
    '/api/v1/trainings',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(TrainingListQuery.shape),
        response: { 200: listEnvelope(Training), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return trainings.list(ctx(req), filters, { page, pageSize });
    },
  );
  r.post(
    '/api/v1/trainings',
    { schema: { tags, body: TrainingCreate, response: { 201: dataEnvelope(TrainingDetail), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await trainings.create(ctx(req), req.body) }),
  );
  r.get(
    '/api/v1/trainings/coverage',
    {
      schema: {
        tags,
        querystring: TrainingCoverageQuery,
        response: { 200: dataEnvelope(TrainingCoverage), ...errors },
      },
    },
    async (req) => ({ data: await trainings.coverage(ctx(req), req.query.regionCode, req.query.year) }),
  );
  r.get(
    '/api/v1/trainings/untrained',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(TrainingCoverageQuery.shape),
        response: { 200: listEnvelope(TrainingDetail.shape.attendees.element), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, regionCode, year } = req.query;
      return trainings.untrained(ctx(req), regionCode, year, { page, pageSize });
    },
  );
  r.get(
    '/api/v1/contacts/:id/trainings',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(ContactTrainings), ...errors } } },
    async (req) => ({ data: await trainings.ofContact(ctx(req), req.params.id) }),
  );
  r.get(
    '/api/v1/trainings/:id',
    { schema: { tags, params: IdParams, response: { 200: dataEnvelope(TrainingDetail), ...errors } } },
    async (req) => ({ data: await trainings.get(ctx(req), req.params.id) }),
  );
  r.put(
    '/api/v1/trainings/:id/attendance',
    {
      schema: {
        tags,
        params: IdParams,
        body: AttendanceSet,
        response: { 200: dataEnvelope(TrainingDetail), ...errors },
      },
    },
    async (req) => ({ data: await trainings.setAttendance(ctx(req), req.params.id, req.body) }),
  );
  await app.register(async (scope) => {
    // Multipart only here, with a small limit: a sign-in sheet is a page or two.
    await scope.register(multipart, { limits: { fileSize: MAX_SHEET_BYTES, files: 1, fields: 3, parts: 4 } });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/trainings/:id/attendance-import',
      {
        schema: {
          tags,
          description:
            'multipart/form-data: file（签到表 .xlsx 或 .csv，列：姓名、手机号码）、mode（validate 或 commit）',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 200: dataEnvelope(AttendanceImportResult), ...errors },
        },
      },
      async (req) => {
        const c = ctx(req);
        await trainings.get(c, req.params.id);
        const { file, mode } = await readSheet(req);
        return { data: await trainings.importAttendance(c, req.params.id, file, mode) };
      },
    );
  });
}
