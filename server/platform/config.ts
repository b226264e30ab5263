import path from 'node:path';
import { ROLES, type Role } from '../../common/roles.js';
import { parseNetworks } from './auth/networks.js';

/** Everything configurable comes from the environment, read once at start. See README "Configuration". */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string; // 'sqlite:<path>' or 'postgres://…'
  /**
   * DATABASE_READ_URL: a PostgreSQL streaming replica for the read-only paths (platform/db/read-replica.ts);
   * null: everything reads from DATABASE_URL.
   */
  readReplica: { url: string; maxLagSeconds: number; probeMs: number } | null;
  dataDir: string;
  /** NODE_ENV=production: no demo mode, the master key only from GUANHUAI_MASTER_KEY. */
  isProduction: boolean;
  /** Demo mode seeds demo accounts and synthetic data on a new database; never in production. */
  isDemo: boolean;
  demoPassword?: string;
  masterKeyHex?: string;
  keyFile: string;
  /**
   * Append-only file of signed audit checkpoints (platform/audit/anchor.ts), outside the database directory.
   * Empty AUDIT_ANCHOR_FILE turns it off (not recommended).
   */
  auditAnchorFile: string | null;
  cookieSecure: boolean;
  trustProxy: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  session: { idleMinutes: number; absoluteHours: number };
  /** `history`: how many passwords (the current one included) a new one may not repeat. */
  password: { minLength: number; minClasses: number; maxAgeDays: number; history: number };
  /** Per client address × username: `threshold` failures block that pair for `minutes` (doubling each time). */
  lockout: { threshold: number; minutes: number };
  /** Login throttling shared by every instance (login_throttle table): see docs/AUTHORIZATION.md "Login". */
  loginThrottle: {
    /** Failures from one address (any usernames) before each further one costs a growing delay. */
    ipThreshold: number;
    windowMinutes: number;
    /** An account locks for everyone only after this many failures from at least `accountSources` addresses. */
    accountThreshold: number;
    accountSources: number;
    accountMinutes: number;
  };
  /** CIDR list the 三员 may sign in and work from; empty: anywhere. */
  adminAllowedNetworks: string[];
  /** Roles that must sign in with a second factor (TOTP). */
  mfaRequiredRoles: Role[];
  /** Full-value reveals per account: refused beyond `perHour`; `burstPerMinute` within a minute alerts the auditor. */
  reveal: { perHour: number; burstPerMinute: number; approvalHours: number };
  serveWeb: boolean;
  /** Validate-only imports per account per window (issue 10 item 2): no bulk probing of ID numbers. */
  importValidate: { limit: number; windowMinutes: number };
  /** Provinces whose region tree is loaded into a new database (files in server/platform/regions/data). */
  regionProvinces: string[];
  /** Deadlines and windows of R5–R7, in hours or days. */
  responses: {
    eventHours: Record<string, number>;
    riskVisitHours: number;
    redRiskVisitHours: number;
    festivalDaysBefore: number;
    festivalDaysAfter: number;
  };
  /** Deadlines of the statistical returns (R9): annual ones as MM-DD of the following year, per level. */
  statReturns: {
    annualDue: { township: string; county: string; prefecture: string };
    /** Days after a quarter's last day the quarterly township return is due. */
    quarterlyDays: number;
  };
  /** Where the platform is reached by people: links in pushed notices and notifications. */
  publicUrl: string;
  /** Outbound webhooks (R10): the only hosts the platform may call, and how. */
  outbound: OutboundConfig;
  /** Push providers for notifications; none configured ⇒ in-app only. */
  push: PushConfig;
  /** Backups and drills (platform/backup, docs/operations.md). */
  backup: {
    dir: string;
    /** Complete backups kept in `dir`; older ones are removed after each backup (0: keep all). */
    keep: number;
    /** The built-in scheduler writes a backup when the last is this old (0: off; cron or a person runs it). */
    intervalHours: number;
    /** The built-in scheduler drills the newest backup when the last successful drill is this old (0: off). */
    drillIntervalHours: number;
    /** The 备份与恢复 page warns when the last backup / the last successful drill is older than this. */
    warnBackupHours: number;
    warnDrillDays: number;
  };
  /** GET /metrics: with a token on the main port (Bearer), and/or on a separate port bound to 127.0.0.1. */
  metrics: { token: string | null; port: number | null };
}

export interface OutboundConfig {
  wecomWebhookBase: string;
  /** Host names (no ports); an http:// URL is allowed only for a loopback host listed here. */
  allowedHosts: string[];
  timeoutMs: number;
}

export interface PushConfig {
  wecomApp?: { baseUrl: string; corpId: string; agentId: string; secret: string };
  sms?: {
    provider: 'aliyun' | 'tencent';
    baseUrl: string;
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    templateCode: string;
    /** Tencent only: the SMS application id and region. */
    sdkAppId?: string;
    region?: string;
  };
}

export const WECOM_WEBHOOK_DEFAULT = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';

function outboundConfig(env: NodeJS.ProcessEnv): OutboundConfig {
  const base = env.WECOM_WEBHOOK_BASE || WECOM_WEBHOOK_DEFAULT;
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new Error('Configuration WECOM_WEBHOOK_BASE must be a URL');
  }
  const hosts = (env.WEBHOOK_ALLOWED_HOSTS || parsed.hostname)
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of hosts)
    if (!/^[a-z0-9.-]+$/.test(h) && h !== '[::1]')
      throw new Error(`Configuration WEBHOOK_ALLOWED_HOSTS: "${h}" is not a host name (no scheme, port or path)`);
  return { wecomWebhookBase: base, allowedHosts: hosts, timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 5_000) };
}

/** A configured provider whose host is not allowed would fail every push: say so at startup instead. */
function checkPushHosts(push: PushConfig, outbound: OutboundConfig): PushConfig {
  for (const [name, base] of [
    ['WECOM_API_BASE', push.wecomApp?.baseUrl],
    ['SMS_API_BASE', push.sms?.baseUrl],
  ] as const) {
    if (!base) continue;
    let host: string;
    try {
      host = new URL(base).hostname.toLowerCase();
    } catch {
      throw new Error(`Configuration ${name} must be a URL`);
    }
    if (!outbound.allowedHosts.includes(host))
      throw new Error(`Configuration ${name}: host ${host} must be listed in WEBHOOK_ALLOWED_HOSTS`);
  }
  return push;
}

function pushConfig(env: NodeJS.ProcessEnv): PushConfig {
  const push: PushConfig = {};
  if (env.WECOM_CORP_ID && env.WECOM_AGENT_ID && env.WECOM_APP_SECRET)
    push.wecomApp = {
      baseUrl: env.WECOM_API_BASE || 'https://qyapi.weixin.qq.com',
      corpId: env.WECOM_CORP_ID,
      agentId: env.WECOM_AGENT_ID,
      secret: env.WECOM_APP_SECRET,
    };
  const provider = env.SMS_PROVIDER as 'aliyun' | 'tencent' | undefined;
  if (provider && !['aliyun', 'tencent'].includes(provider))
    throw new Error('Configuration SMS_PROVIDER must be aliyun or tencent');
  if (provider && env.SMS_ACCESS_KEY_ID && env.SMS_ACCESS_KEY_SECRET) {
    // Only a template the vendor approved may be sent: its id is configuration, the text is the vendor's.
    const templateCode = env.SMS_TEMPLATE_CODE || '';
    const approved = provider === 'aliyun' ? /^SMS_\d{1,20}$/ : /^\d{1,20}$/;
    if (!approved.test(templateCode))
      throw new Error(
        `Configuration SMS_TEMPLATE_CODE must be the id of an approved ${provider} SMS template (${provider === 'aliyun' ? 'SMS_ and digits' : 'digits'})`,
      );
    if (!env.SMS_SIGN_NAME) throw new Error('Configuration SMS_SIGN_NAME (the approved SMS signature) is required');
    if (provider === 'tencent' && !/^\d{1,20}$/.test(env.SMS_SDK_APP_ID ?? ''))
      throw new Error('Configuration SMS_SDK_APP_ID (the Tencent Cloud SMS application id) is required');
    push.sms = {
      provider,
      baseUrl:
        env.SMS_API_BASE ||
        (provider === 'aliyun' ? 'https://dysmsapi.aliyuncs.com' : 'https://sms.tencentcloudapi.com'),
      accessKeyId: env.SMS_ACCESS_KEY_ID,
      accessKeySecret: env.SMS_ACCESS_KEY_SECRET,
      signName: env.SMS_SIGN_NAME,
      templateCode,
      sdkAppId: env.SMS_SDK_APP_ID,
      region: env.SMS_REGION || (provider === 'aliyun' ? 'cn-hangzhou' : 'ap-guangzhou'),
    };
  }
  return push;
}

/** `EVENT_RESPONSE_HOURS=24` for every kind, or per kind: `death=12,accident=24`. */
function eventHours(raw: string | undefined): Record<string, number> {
  const hours: Record<string, number> = { accident: 24, serious_illness: 24, disaster: 24, death: 24 };
  if (!raw) return hours;
  if (/^\d+$/.test(raw)) return Object.fromEntries(Object.keys(hours).map((k) => [k, Number(raw)]));
  for (const part of raw.split(',')) {
    const [kind, value] = part.split('=').map((x) => x.trim());
    if (!(kind in hours) || !/^\d+$/.test(value ?? ''))
      throw new Error(`Configuration EVENT_RESPONSE_HOURS: bad entry "${part}"`);
    hours[kind] = Number(value);
  }
  return hours;
}

/** `MM-DD`, checked so a typo fails at start rather than at the first deadline. */
function monthDay(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(raw)) throw new Error(`Configuration ${name} must be MM-DD`);
  return raw;
}

/** The 三员 and county level and above; none in demo mode (any demo account may still enrol). */
export const DEFAULT_MFA_ROLES: readonly Role[] = [
  'sysadmin',
  'security_admin',
  'auditor',
  'county_staff',
  'county_leader',
  'prefecture_staff',
  'province_staff',
];

/** `MFA_REQUIRED_ROLES=none`, or a comma list of roles. */
function mfaRoles(raw: string | undefined, isDemo: boolean): Role[] {
  if (raw === undefined || raw.trim() === '') return isDemo ? [] : [...DEFAULT_MFA_ROLES];
  if (raw.trim() === 'none') return [];
  return raw.split(',').map((part) => {
    const role = part.trim();
    if (!(ROLES as readonly string[]).includes(role))
      throw new Error(`Configuration MFA_REQUIRED_ROLES: unknown role "${role}"`);
    return role as Role;
  });
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Configuration ${name} must be a non-negative integer`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

/** DATABASE_READ_URL is a PostgreSQL replica of a PostgreSQL DATABASE_URL; anything else stops the start. */
function readReplicaConfig(env: NodeJS.ProcessEnv, databaseUrl: string): Config['readReplica'] {
  const url = env.DATABASE_READ_URL;
  if (!url) return null;
  const postgres = /^postgres(ql)?:\/\//;
  if (!postgres.test(databaseUrl))
    throw new Error(
      'Configuration DATABASE_READ_URL: a read replica needs PostgreSQL, but DATABASE_URL is SQLite — unset DATABASE_READ_URL (只读副本仅支持 PostgreSQL)',
    );
  if (!postgres.test(url)) throw new Error('Configuration DATABASE_READ_URL must be a postgres:// URL');
  return {
    url,
    maxLagSeconds: int(env, 'DATABASE_READ_MAX_LAG_SECONDS', 30),
    probeMs: Math.max(100, int(env, 'DATABASE_READ_PROBE_MS', 1_000)),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const isProduction = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR ?? 'data');
  const databaseUrl = env.DATABASE_URL || `sqlite:${path.join(dataDir, 'guanhuai.db')}`;
  const isDemo = bool(env, 'GUANHUAI_DEMO', !isProduction);
  // Demo mode seeds known accounts (the sysadmin among them) and may generate a key file beside the data:
  // in production that would let anyone who reads the console or the data directory in.
  if (isProduction && isDemo)
    throw new Error(
      'Configuration GUANHUAI_DEMO: demo mode cannot run with NODE_ENV=production (生产环境不能开启演示模式)',
    );
  if (isProduction && !env.GUANHUAI_MASTER_KEY)
    throw new Error(
      'Configuration GUANHUAI_MASTER_KEY is required with NODE_ENV=production (生产环境必须配置主密钥 GUANHUAI_MASTER_KEY)',
    );
  return {
    readReplica: readReplicaConfig(env, databaseUrl),
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000),
    databaseUrl,
    dataDir,
    isProduction,
    isDemo,
    demoPassword: env.DEMO_PASSWORD || undefined,
    masterKeyHex: env.GUANHUAI_MASTER_KEY || undefined,
    keyFile: path.resolve(env.GUANHUAI_KEY_FILE ?? path.join(dataDir, 'keys.json')),
    auditAnchorFile:
      env.AUDIT_ANCHOR_FILE === ''
        ? null
        : path.resolve(env.AUDIT_ANCHOR_FILE ?? path.join(dataDir, '..', 'audit-anchor.log')),
    cookieSecure: bool(env, 'COOKIE_SECURE', isProduction),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024),
    session: {
      idleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30),
      absoluteHours: int(env, 'SESSION_ABSOLUTE_HOURS', 12),
    },
    password: {
      minLength: int(env, 'PASSWORD_MIN_LENGTH', 8),
      minClasses: int(env, 'PASSWORD_MIN_CLASSES', 3),
      maxAgeDays: int(env, 'PASSWORD_MAX_AGE_DAYS', 0),
      history: int(env, 'PASSWORD_HISTORY', 5),
    },
    lockout: { threshold: int(env, 'LOCKOUT_THRESHOLD', 5), minutes: int(env, 'LOCKOUT_MINUTES', 15) },
    loginThrottle: {
      ipThreshold: int(env, 'LOGIN_IP_THRESHOLD', 20),
      windowMinutes: int(env, 'LOGIN_THROTTLE_WINDOW_MINUTES', 15),
      accountThreshold: int(env, 'ACCOUNT_LOCK_THRESHOLD', 50),
      accountSources: int(env, 'ACCOUNT_LOCK_SOURCES', 5),
      accountMinutes: int(env, 'ACCOUNT_LOCK_MINUTES', 15),
    },
    adminAllowedNetworks: parseNetworks(env.ADMIN_ALLOWED_NETWORKS ?? '').map((n) => n.cidr),
    mfaRequiredRoles: mfaRoles(env.MFA_REQUIRED_ROLES, isDemo),
    reveal: {
      perHour: int(env, 'REVEAL_RATE_PER_HOUR', 20),
      burstPerMinute: int(env, 'REVEAL_BURST_PER_MINUTE', 10),
      // An approved request beyond the hourly limit lets its requester see the value once within this time.
      approvalHours: int(env, 'REVEAL_APPROVAL_HOURS', 24),
    },
    serveWeb: bool(env, 'SERVE_WEB', true),
    responses: {
      eventHours: eventHours(env.EVENT_RESPONSE_HOURS),
      riskVisitHours: int(env, 'RISK_VISIT_HOURS', 24),
      redRiskVisitHours: int(env, 'RED_RISK_VISIT_HOURS', 12),
      festivalDaysBefore: int(env, 'FESTIVAL_WINDOW_BEFORE', 10),
      festivalDaysAfter: int(env, 'FESTIVAL_WINDOW_AFTER', 5),
    },
    importValidate: {
      limit: int(env, 'IMPORT_VALIDATE_LIMIT', 20),
      windowMinutes: int(env, 'IMPORT_VALIDATE_WINDOW_MINUTES', 60),
    },
    publicUrl: (env.PUBLIC_URL || `http://${env.HOST || '127.0.0.1'}:${env.PORT || 3000}`).replace(/\/$/, ''),
    outbound: outboundConfig(env),
    push: checkPushHosts(pushConfig(env), outboundConfig(env)),
    backup: {
      dir: path.resolve(env.BACKUP_DIR || path.join(dataDir, 'backups')),
      keep: int(env, 'BACKUP_KEEP', 14),
      intervalHours: int(env, 'BACKUP_INTERVAL_HOURS', 0),
      drillIntervalHours: int(env, 'DRILL_INTERVAL_HOURS', 0),
      warnBackupHours: int(env, 'BACKUP_WARN_HOURS', 26),
      warnDrillDays: int(env, 'DRILL_WARN_DAYS', 31),
    },
    metrics: {
      token: env.METRICS_TOKEN || null,
      port: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0) : null,
    },
    regionProvinces: (env.REGION_PROVINCES || '42')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    statReturns: {
      annualDue: {
        township: monthDay(env, 'STAT_DUE_ANNUAL_TOWNSHIP', '03-31'),
        county: monthDay(env, 'STAT_DUE_ANNUAL_COUNTY', '04-30'),
        prefecture: monthDay(env, 'STAT_DUE_ANNUAL_CITY', '05-15'),
      },
      quarterlyDays: int(env, 'STAT_DUE_QUARTERLY_DAYS', 10),
    },
  };
}

/**
 * The server itself speaks plain HTTP: in production it must sit behind a TLS proxy (deploy/nginx), and says so
 * with TRUST_PROXY=true (client addresses then come from X-Forwarded-For). Without it the start is refused: the
 * session cookie would travel in clear, or be Secure on a connection that is not. Checked by main.ts only (the
 * backup and admin commands do not serve).
 */
export function assertServedSafely(config: Config): void {
  if (config.isProduction && !config.trustProxy)
    throw new Error(
      'Configuration TRUST_PROXY: NODE_ENV=production serves plain HTTP only behind a TLS proxy — put nginx in front (deploy/) and set TRUST_PROXY=true (生产环境须经 HTTPS 反向代理访问，并设置 TRUST_PROXY=true)',
    );
}
