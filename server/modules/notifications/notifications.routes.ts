import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Notification,
  NotificationListFilters,
  NotificationPrefs,
  NotificationPrefsUpdate,
  ReadAllResult,
  UnreadCount,
} from '../../../common/schemas/notifications.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { NotificationsService } from './notifications.service.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const tags = ['notifications'];

export function notificationsRoutes(app: FastifyInstance, notifications: NotificationsService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        querystring: PageQuery.extend(NotificationListFilters.shape),
        response: { 200: listEnvelope(Notification), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, unread, kind } = req.query;
      return notifications.list(ctx(req), unread ?? false, { page, pageSize }, kind);
    },
  );
  r.get(
    '/api/v1/notifications/unread-count',
    { schema: { tags, response: { 200: dataEnvelope(UnreadCount), ...errors } } },
    async (req) => ({ data: { unread: await notifications.unreadCount(ctx(req)) } }),
  );
  r.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        tags,
        params: z.object({ id: z.string().max(64) }),
        response: { 200: dataEnvelope(Notification), ...errors },
      },
    },
    async (req) => ({ data: await notifications.markRead(ctx(req), req.params.id) }),
  );
  r.post(
    '/api/v1/notifications/read-all',
    { schema: { tags, response: { 200: dataEnvelope(ReadAllResult), ...errors } } },
    async (req) => ({ data: { updated: await notifications.markAllRead(ctx(req)) } }),
  );
  r.get(
    '/api/v1/notification-preferences',
    { schema: { tags, response: { 200: dataEnvelope(NotificationPrefs), ...errors } } },
    async (req) => ({ data: await notifications.prefs(ctx(req)) }),
  );
  r.put(
    '/api/v1/notification-preferences',
    { schema: { tags, body: NotificationPrefsUpdate, response: { 200: dataEnvelope(NotificationPrefs), ...errors } } },
    async (req) => ({ data: await notifications.updatePrefs(ctx(req), req.body) }),
  );
}
