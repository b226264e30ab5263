import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  LoginBody,
  MfaChallenge,
  MfaConfirmBody,
  MfaEnrolment,
  MfaRecoveryCodes,
  MfaVerifyBody,
  PasswordChange,
  Session,
  UserCreate,
  UserCreated,
  UserDecision,
  UserListFilters,
  UserUpdate,
  UserView,
} from '../../../common/schemas/users.js';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '../../platform/auth/auth-hook.js';
import type { Config } from '../../platform/config.js';
import { ctx, dataEnvelope, ErrorBody, listEnvelope, PageQuery } from '../../platform/http.js';
import type { AuthService } from './auth.service.js';
import type { MfaService } from './mfa.service.js';
import type { UsersService } from './users.service.js';

const SessionEnvelope = dataEnvelope(Session);
/** DESIGN §5's answer, or — for an account with a second factor — the challenge of the second step. */
const LoginEnvelope = dataEnvelope(z.union([Session, MfaChallenge]));
const UserIdParams = z.object({ id: z.string().max(64) });
const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  423: ErrorBody,
  429: ErrorBody,
};

export function usersRoutes(
  app: FastifyInstance,
  { auth, users, mfa }: { auth: AuthService; users: UsersService; mfa: MfaService },
  config: Config,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieName = sessionCookieName(config);

  r.post(
    '/api/v1/auth/login',
    {
      config: { isPublic: true },
      schema: { tags: ['auth'], body: LoginBody, response: { 200: LoginEnvelope, ...errors } },
    },
    async (req, reply) => {
      const origin = { ip: req.ip, requestId: req.id };
      const result = await auth.login(origin, req.body.username, req.body.password, req.cookies[cookieName]);
      if ('mfaRequired' in result) return { data: result };
      setSessionCookie(reply, config, result.token);
      return { data: { user: result.user, csrfToken: result.csrfToken } };
    },
  );

  r.post(
    '/api/v1/auth/mfa/verify',
    {
      config: { isPublic: true },
      schema: { tags: ['auth'], body: MfaVerifyBody, response: { 200: SessionEnvelope, ...errors } },
    },
    async (req, reply) => {
      const origin = { ip: req.ip, requestId: req.id };
      const result = await auth.verifyMfa(origin, req.body.challenge, req.body.code, req.cookies[cookieName]);
      setSessionCookie(reply, config, result.token);
      return { data: { user: result.user, csrfToken: result.csrfToken } };
    },
  );

  r.post(
    '/api/v1/auth/mfa/enrolment',
    {
      config: { allowPasswordChangeDue: true },
      schema: { tags: ['auth'], response: { 200: dataEnvelope(MfaEnrolment), ...errors } },
    },
    async (req) => ({ data: await mfa.beginEnrolment(ctx(req)) }),
  );

  r.post(
    '/api/v1/auth/mfa/enrolment/confirm',
    {
      config: { allowPasswordChangeDue: true },
      schema: { tags: ['auth'], body: MfaConfirmBody, response: { 200: dataEnvelope(MfaRecoveryCodes), ...errors } },
    },
    async (req) => ({ data: await mfa.confirmEnrolment(ctx(req), req.body.code) }),
  );

  r.get(
    '/api/v1/auth/me',
    {
      config: { allowPasswordChangeDue: true },
      schema: { tags: ['auth'], response: { 200: SessionEnvelope, 401: ErrorBody } },
    },
    async (req) => ({ data: { user: await auth.me(ctx(req)), csrfToken: req.csrfToken! } }),
  );

  // The web app's first question, "is anyone signed in?": null rather than 401 when no one is, so the
  // login page does not open with an error in the browser's console. /auth/me keeps its 401.
  r.get(
    '/api/v1/auth/session',
    {
      config: { isPublic: true, allowPasswordChangeDue: true },
      schema: { tags: ['auth'], response: { 200: dataEnvelope(Session.nullable()) } },
    },
    async (req) => ({
      data: req.actor ? { user: await auth.me(ctx(req)), csrfToken: req.csrfToken! } : null,
    }),
  );

  r.post(
    '/api/v1/auth/logout',
    { config: { allowPasswordChangeDue: true }, schema: { tags: ['auth'], response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await auth.logout(ctx(req));
      clearSessionCookie(reply, config);
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
        querystring: PageQuery.extend(UserListFilters.shape),
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
    { schema: { tags: ['users'], body: UserCreate, response: { 201: dataEnvelope(UserCreated), ...errors } } },
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

  r.get(
    '/api/v1/user-approvals',
    { schema: { tags: ['users'], response: { 200: dataEnvelope(z.array(UserView)), ...errors } } },
    async (req) => ({ data: await users.listApprovals(ctx(req)) }),
  );

  r.post(
    '/api/v1/users/:id/approve',
    {
      schema: {
        tags: ['users'],
        params: UserIdParams,
        body: UserDecision.optional(),
        response: { 200: dataEnvelope(UserView), ...errors },
      },
    },
    async (req) => ({ data: await users.approve(ctx(req), req.params.id, req.body ?? {}) }),
  );

  r.post(
    '/api/v1/users/:id/reject',
    {
      schema: {
        tags: ['users'],
        params: UserIdParams,
        body: UserDecision.optional(),
        response: { 200: dataEnvelope(UserView), ...errors },
      },
    },
    async (req) => ({ data: await users.reject(ctx(req), req.params.id, req.body ?? {}) }),
  );

  r.post(
    '/api/v1/users/:id/mfa-reset',
    { schema: { tags: ['users'], params: UserIdParams, response: { 200: dataEnvelope(UserView), ...errors } } },
    async (req) => ({ data: await users.resetMfa(ctx(req), req.params.id) }),
  );
}
