import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Health, Ready } from '../../../common/schemas/health.js';
import type { Platform } from '../../platform/context.js';
import { ping } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import { readiness } from '../../platform/metrics.js';

export function healthRoutes(app: FastifyInstance, platform: Platform, version: string): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/v1/health',
      { config: { isPublic: true }, schema: { tags: ['platform'], response: { 200: Health } } },
      async () => {
        try {
          await ping(platform.db);
        } catch {
          throw new AppError('UNAVAILABLE', '数据库不可用');
        }
        return { status: 'ok' as const, database: platform.dialect, version, demo: platform.config.isDemo };
      },
    )
    .get(
      '/api/v1/health/ready',
      {
        config: { isPublic: true },
        schema: {
          tags: ['platform'],
          description: '就绪检查：数据库可用且本版本的全部迁移已执行（负载均衡据此接入实例）',
          response: { 200: Ready, 503: Ready },
        },
      },
      async (_req, reply) => {
        const r = await readiness(platform);
        const ready = r.database && r.pending.length === 0;
        return reply.code(ready ? 200 : 503).send({
          status: ready ? ('ready' as const) : ('not_ready' as const),
          database: r.database,
          pendingMigrations: r.pending,
        });
      },
    );
}
