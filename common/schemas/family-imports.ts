import { z } from 'zod';

/** `validate`: check the file and report every row; `commit`: also write the rows that pass. */
export const IMPORT_MODES = ['validate', 'commit'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** A refused row of an import (docs/imports.md). */
export const ImportRowError = z.object({
  /** The row number as Excel shows it. */
  row: z.number().int(),
  /** The Chinese column header. */
  field: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

/** A family import job as `POST /family-imports` and `GET /family-imports/{id}` answer it. */
export const ImportJob = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  mode: z.enum(IMPORT_MODES),
  stage: z.enum(['validating', 'committing']).nullable(),
  fileName: z.string(),
  total: z.number().int(),
  processed: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(ImportRowError),
  skips: z.array(ImportRowError),
  isTruncated: z.boolean(),
  message: z.string().nullable(),
  hasErrorFile: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;
