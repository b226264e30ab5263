import { z } from 'zod';

/** `GET /api/v1/health`: the server is up and its database answers; the login page shows the version. */
export const Health = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  /** A demo instance (seeded data): the login page says so. */
  demo: z.boolean(),
});
export type Health = z.infer<typeof Health>;

/** `GET /api/v1/health/ready`: the database answers and every migration of this version has run. */
export const Ready = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.boolean(),
  pendingMigrations: z.array(z.string()),
});
export type Ready = z.infer<typeof Ready>;
