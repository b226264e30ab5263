import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Platform } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';

const Health = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  version: z.string(),
  demo: z.boolean(),
});

export function healthRoutes(app: FastifyInstance, platform: Platform, version: string): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/health',
      { config: { isPublic: true }, schema: { tags: ['platform'], response: { 200: Health } } },
      async () => {
        try {
          await sql`select 1`.execute(platform.db);
        } catch {
          throw new AppError('UNAVAILABLE', '数据库不可用');
        }
        return { status: 'ok' as const, database: platform.dialect, version, demo: platform.config.isDemo };
      },
    );
}
