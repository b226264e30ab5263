/**
 * The one way the browser talks to the server: JSON over same-origin fetch, the CSRF token on every
 * state change, and every failure turned into an ApiError carrying the contract's error code.
 */

export const API_BASE = '/api/v1';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  | 'CSRF_REJECTED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'VALIDATION_FAILED'
  // Produced by this client, never by the server.
  | 'NETWORK_ERROR'
  | 'BAD_RESPONSE'
  | (string & {});

export interface ErrorDetail {
  path: string;
  message: string;
  /** A machine code some refusals carry (ACCOUNT_PENDING, MFA_CODE_WRONG, PASSWORD_TOO_SIMPLE…). */
  code?: string;
}

export interface PageInfo {
  page: number;
  pageSize: number;
  total: number;
}

export interface Envelope<T> {
  data: T;
}

export interface ListEnvelope<T> {
  data: T[];
  page: PageInfo;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;

  constructor(status: number, code: ErrorCode, message: string, details: ErrorDetail[] = [], requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
  }
}

export function isApiError(err: unknown, code?: ErrorCode): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

// The CSRF token lives only in memory: it comes back from login and from /auth/me on every page load.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Called when the server says the session is gone (401 UNAUTHENTICATED); the app then shows /login. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers (the outbox's Idempotency-Key). */
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

/** How long an answer the route preload fetched may wait for the app (it is normally taken within seconds). */
const BOOT_MAX_AGE_MS = 30_000;

interface Boot {
  at: number;
  /** Resolves once the page's first data has been asked for. */
  ready: Promise<void>;
  answers: Record<string, Promise<Response | null> | undefined>;
}

/**
 * The answer web/src/route-preload.ts already asked for (the session, the opened page's first data) while the
 * app's code was still loading, once; null when there is none or it failed (the caller then asks itself).
 */
async function takeBootResponse(url: string): Promise<Response | null> {
  const boot = (globalThis as unknown as { __guanhuaiBoot?: Boot }).__guanhuaiBoot;
  if (!boot || Date.now() - boot.at > BOOT_MAX_AGE_MS) return null;
  if (!boot.answers[url]) await boot.ready;
  const early = boot.answers[url];
  if (!early) return null;
  delete boot.answers[url];
  return early;
}

/** A new session or none: what was fetched for the previous one is not handed to anyone. */
export function dropBootResponses(): void {
  delete (globalThis as unknown as { __guanhuaiBoot?: Boot }).__guanhuaiBoot;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  if (method === 'GET' && !options.headers && !options.signal?.aborted) {
    const early = await takeBootResponse(buildUrl(path, options.query));
    if (early) return early;
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: Partial<ApiErrorBody> } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(
      response.status,
      error.code,
      typeof error.message === 'string' ? error.message : '',
      Array.isArray(error.details) ? error.details : [],
      error.requestId,
    );
  }
  return new ApiError(response.status, 'BAD_RESPONSE', `服务器暂时无法处理请求（${response.status}），请稍后再试`);
}

interface ApiErrorBody {
  code: string;
  message: string;
  details: ErrorDetail[];
  requestId: string;
}

/** Fetches a fresh CSRF token after the server rejected ours (for instance after the session was renewed). */
async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('GET', '/auth/me', {});
  if (!response.ok) return false;
  const body = (await response.json()) as { data?: { csrfToken?: string } };
  if (!body.data?.csrfToken) return false;
  setCsrfToken(body.data.csrfToken);
  return true;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (!response.ok) {
    let error = await toApiError(response);
    if (error.code === 'CSRF_REJECTED' && method !== 'GET' && (await refreshCsrfToken())) {
      response = await send(method, path, options);
      if (response.ok) return parseBody<T>(response);
      error = await toApiError(response);
    }
    if (error.code === 'UNAUTHENTICATED') {
      setCsrfToken(null);
      for (const listener of unauthenticatedListeners) listener();
    }
    throw error;
  }
  return parseBody<T>(response);
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, 'BAD_RESPONSE', '服务器返回的数据无法识别，请稍后再试');
  }
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

// Texts the product always uses for these refusals, whatever the server wrote.
const FIXED_MESSAGES: Partial<Record<ErrorCode, string>> = {
  INVALID_CREDENTIALS: '用户名或密码错误',
  VERSION_CONFLICT: '数据已被他人修改，请刷新后重试',
};

// Used when the server's message is missing or not written for people.
const FALLBACK_MESSAGES: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: '登录已过期，请重新登录',
  CSRF_REJECTED: '页面已过期，请刷新后重试',
  FORBIDDEN: '您没有权限执行此操作',
  NOT_FOUND: '未找到相关数据，或您无权查看',
};

const CHINESE = /[\u4e00-\u9fff]/;

/** The sentence to show a cadre. The server writes its messages in Chinese for people; those are kept. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiError)) return '操作失败，请稍后再试';
  const fixed = FIXED_MESSAGES[err.code];
  if (fixed) return fixed;
  if (CHINESE.test(err.message)) return err.message;
  return FALLBACK_MESSAGES[err.code] ?? '操作失败，请稍后再试';
}
