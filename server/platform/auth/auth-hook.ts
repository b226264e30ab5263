import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { Platform } from '../context.js';
import { AppError } from '../errors.js';
import { isAdminRole } from '../../../common/roles.js';
import type { Actor } from '../scope.js';
import { networkMatcher } from './networks.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (health, login, the web app's files). */
    isPublic?: boolean;
    /**
     * Open to a session not yet claimed: a password to change first, or a second factor to enrol
     * (me, logout, change password, MFA enrolment).
     */
    allowPasswordChangeDue?: boolean;
  }
}

export function sessionCookieName(config: Pick<Config, 'cookieSecure'>): string {
  // __Host- binds the cookie to this origin; browsers accept it only with Secure.
  return config.cookieSecure ? '__Host-gh_session' : 'gh_session';
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(sessionCookieName(config), token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
    path: '/',
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config.cookieSecure,
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the session before the body is even parsed: an anonymous request to a private route gets 401,
 * a state change without the session's CSRF token gets 403, before any validation or work happens.
 */
export function installAuth(app: FastifyInstance, platform: Platform): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  const cookieName = sessionCookieName(platform.config);
  const isAdminNetwork = networkMatcher(platform.config.adminAllowedNetworks);
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[cookieName];
    if (token) {
      const session = await platform.sessions.resolve(platform.db, token);
      if (session) {
        req.actor = session.actor;
        req.csrfToken = session.csrfToken;
      }
    }
    // ADMIN_ALLOWED_NETWORKS binds the 三员's sessions too, not only their logins: a cookie carried out is dead.
    if (req.actor && isAdminRole(req.actor.role) && !isAdminNetwork(req.ip)) {
      req.actor = null;
      req.csrfToken = null;
    }
    const isPublic = req.routeOptions.config?.isPublic === true || !req.url.startsWith('/api/');
    if (!isPublic && !req.actor) throw new AppError('UNAUTHENTICATED');
    const isClaimRoute = req.routeOptions.config?.allowPasswordChangeDue === true;
    if (!isPublic && req.actor?.mustChangePassword && !isClaimRoute) throw new AppError('FORBIDDEN', '请先修改密码');
    if (!isPublic && req.actor?.mfaEnrolmentDue && !isClaimRoute)
      throw new AppError('FORBIDDEN', '请先绑定动态验证码（双因素认证）');
    if (!isPublic && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !req.csrfToken || !sameToken(sent, req.csrfToken)) {
        throw new AppError('CSRF_REJECTED');
      }
    }
  });
}
