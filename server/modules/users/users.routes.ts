import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../../common/limits.js';
import { ROLES } from '../../../common/roles.js';
import {
  LoginBody,
  PasswordChange,
  SessionUser,
  UserCreate,
  UserUpdate,
  UserView,
} from '../../../common/schemas/users.js';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '../../platform/auth/auth-hook.js';
import type { Platform } from '../../platform/context.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import { createAuthService } from './auth.service.js';
import { createUsersService } from './users.service.js';

const SessionEnvelope = dataEnvelope(z.object({ user: SessionUser, csrfToken: z.string() }));
const UserIdParams = z.object({ id: z.string().max(64) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 423: ErrorBody };

export function usersRoutes(app: FastifyInstance, platform: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = createAuthService(platform);
  const users = createUsersService(platform);
  const cookieName = sessionCookieName(platform.config);

  r.post(
    '/api/v1/auth/login',
    {
      config: { isPublic: true },
      schema: { tags: ['auth'], body: LoginBody, response: { 200: SessionEnvelope, ...errors } },
    },
    async (req, reply) => {
      const origin = { ip: req.ip, requestId: req.id };
      const result = await auth.login(origin, req.body.username, req.body.password, req.cookies[cookieName]);
      setSessionCookie(reply, platform.config, result.token);
      return { data: { user: result.user, csrfToken: result.csrfToken } };
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { allowPasswordChangeDue: true },
      schema: { tags: ['auth'], response: { 200: SessionEnvelope, 401: ErrorBody } },
    },
    async (req) => ({ data: { user: await auth.me(ctx(req)), csrfToken: req.csrfToken! } }),
  );

  r.post(
    '/api/v1/auth/logout',
    { config: { allowPasswordChangeDue: true }, schema: { tags: ['auth'], response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await auth.logout(ctx(req));
      clearSessionCookie(reply, platform.config);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { allowPasswordChangeDue: true },
      schema: { tags: ['auth'], body: PasswordChange, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await auth.changePassword(ctx(req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['users'],
        querystring: PageQuery.extend({
          q: z.string().trim().max(LIMITS.search).optional(),
          role: z.enum(ROLES).optional(),
          regionCode: z
            .string()
            .regex(/^\d{12}$/)
            .optional(),
        }),
        response: { 200: listEnvelope(UserView), ...errors },
      },
    },
    async (req) => {
      const { page, pageSize, ...filters } = req.query;
      return users.list(ctx(req), filters, { page, pageSize });
    },
  );

  r.post(
    '/api/v1/users',
    { schema: { tags: ['users'], body: UserCreate, response: { 201: dataEnvelope(UserView), ...errors } } },
    async (req, reply) => reply.code(201).send({ data: await users.create(ctx(req), req.body) }),
  );

  r.get(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], params: UserIdParams, response: { 200: dataEnvelope(UserView), ...errors } } },
    async (req) => ({
      data: await users.get(ctx(req), req.params.id),
    }),
  );

  r.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags: ['users'],
        params: UserIdParams,
        body: UserUpdate,
        response: { 200: dataEnvelope(UserView), ...errors },
      },
    },
    async (req) => ({ data: await users.update(ctx(req), req.params.id, req.body) }),
  );

  r.post(
    '/api/v1/users/:id/unlock',
    { schema: { tags: ['users'], params: UserIdParams, response: { 200: dataEnvelope(UserView), ...errors } } },
    async (req) => ({ data: await users.unlock(ctx(req), req.params.id) }),
  );
}
