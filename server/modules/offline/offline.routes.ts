import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { OfflinePack } from '../../../common/schemas/offline.js';
import { ctx, dataEnvelope, ErrorBody } from '../../platform/http.js';
import type { OfflineService } from './offline.service.js';

export function offlineRoutes(app: FastifyInstance, offline: OfflineService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/offline-pack',
    {
      schema: {
        tags: ['offline'],
        description: "The phone's offline copy: the user's todos and their families' visit-form fields (issue #17).",
        response: { 200: dataEnvelope(OfflinePack), 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (req) => ({ data: await offline.pack(ctx(req)) }),
  );
}
