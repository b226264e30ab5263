/** The error codes clients rely on (DESIGN.md §5), with their HTTP status. */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  CSRF_REJECTED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 409,
  IDEMPOTENCY_MISMATCH: 409,
  VALIDATION_FAILED: 400,
  PACKAGE_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  UNAUTHENTICATED: '请先登录',
  INVALID_CREDENTIALS: '用户名或密码错误',
  ACCOUNT_LOCKED: '账户已锁定，请稍后再试或联系管理员',
  CSRF_REJECTED: '请求校验失败，请刷新页面后重试',
  FORBIDDEN: '无权执行此操作',
  NOT_FOUND: '未找到或无权查看',
  VERSION_CONFLICT: '数据已被他人修改，请刷新后重试',
  CONFLICT: '与现有数据冲突',
  ALREADY_EXISTS: '已存在',
  INVALID_STATE: '当前状态下不能执行此操作',
  IDEMPOTENCY_MISMATCH: '同一幂等键已用于另一份内容的提交，请勿重复使用',
  VALIDATION_FAILED: '输入有误，请检查后重试',
  PACKAGE_INVALID: '报表包未通过验证',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  INTERNAL: '服务器内部错误，请稍后再试',
  UNAVAILABLE: '服务暂不可用，请稍后再试',
};

/** The one error type services throw; the error handler renders it as `{ error: { code, message, details, requestId } }`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.status = ERROR_STATUS[code];
  }

  /** Seconds a throttled client should wait; the error handler sends it as `Retry-After`. */
  retryAfterSeconds?: number;

  static throttled(code: 'RATE_LIMITED' | 'ACCOUNT_LOCKED', retryAfterSeconds: number, message?: string): AppError {
    const err = new AppError(code, message);
    err.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return err;
  }

  static notFound(): AppError {
    return new AppError('NOT_FOUND');
  }

  static validation(details: ErrorDetail[], message?: string): AppError {
    return new AppError('VALIDATION_FAILED', message ?? details[0]?.message, details);
  }

  static field(path: string, message: string, code?: string): AppError {
    return new AppError('VALIDATION_FAILED', message, [{ path, message, ...(code ? { code } : {}) }]);
  }
}

export function defaultMessage(code: ErrorCode): string {
  return DEFAULT_MESSAGES[code];
}
