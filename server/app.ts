import { randomUUID } from 'node:crypto';
import { withDatabaseKeyVersions } from './platform/rekey/key-versions.js';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { complianceRoutes } from './modules/compliance/compliance.routes.js';
import { contactLogsRoutes } from './modules/contact-logs/contact-logs.routes.js';
import { contactsRoutes } from './modules/contacts/contacts.routes.js';
import { familiesRoutes } from './modules/families/families.routes.js';
import { familyFilesRoutes } from './modules/families/family-files.routes.js';
import { revealRequestsRoutes } from './modules/reveals/reveal-requests.routes.js';
import { duplicateArchivesRoutes } from './modules/families/duplicate-archives.routes.js';
import { overdueExportRoutes } from './modules/compliance/overdue-export.routes.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { festivalsRoutes } from './modules/festivals/festivals.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { needsRoutes } from './modules/needs/needs.routes.js';
import { petitionsRoutes } from './modules/petitions/petitions.routes.js';
import { supervisionRoutes } from './modules/supervision/supervision.routes.js';
import { accountabilityRoutes } from './modules/accountability/accountability.routes.js';
import { commendationsRoutes } from './modules/commendations/commendations.routes.js';
import { assessmentsRoutes } from './modules/assessments/assessments.routes.js';
import { supervisionOrdersRoutes } from './modules/supervision-orders/supervision-orders.routes.js';
import { statReturnsRoutes } from './modules/stat-returns/stat-returns.routes.js';
import { regionsRoutes } from './modules/regions/regions.routes.js';
import { regionKeysRoutes } from './modules/region-keys/region-keys.routes.js';
import { statPackagesRoutes } from './modules/stat-packages/stat-packages.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { liaisonsRoutes } from './modules/liaisons/liaisons.routes.js';
import { countyStaffingRoutes } from './modules/county-staffing/county-staffing.routes.js';
import { partnersRoutes } from './modules/partners/partners.routes.js';
import { trainingsRoutes } from './modules/trainings/trainings.routes.js';
import { medicalServicesRoutes } from './modules/medical-services/medical-services.routes.js';
import { channelsRoutes } from './modules/channels/channels.routes.js';
import { noticesRoutes } from './modules/notices/notices.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { sampleSurveysRoutes } from './modules/sample-surveys/sample-surveys.routes.js';
import { backupsRoutes } from './modules/backups/backups.routes.js';
import { countyCopyRoutes } from './modules/county-copy/county-copy.routes.js';
import { installMetrics, type Metrics } from './platform/metrics.js';
import { offlineRoutes } from './modules/offline/offline.routes.js';
import { AuditAnchor } from './platform/audit/anchor.js';
import { AuditLog } from './platform/audit/audit-log.js';
import { installDenialAudit } from './platform/audit/security-events.js';
import { installAuth } from './platform/auth/auth-hook.js';
import { SessionStore } from './platform/auth/sessions.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Platform } from './platform/context.js';
import type { CryptoProvider } from './platform/crypto/crypto-provider.js';
import type { DatabaseHandle } from './platform/db/database.js';
import { installReadRouting, openReadReplica } from './platform/db/read-replica.js';
import { installErrorHandler, installInputGuards, installSecurityHeaders } from './platform/http.js';
import { hasWebApp, installApiCompression, registerWebApp } from './platform/web-static.js';
import { buildServices, type Services } from './services.js';

export const VERSION = '0.1.0';
const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  crypto: CryptoProvider;
  clock?: Clock;
  /** false in tests; the process entry passes pino options. */
  logger?: boolean | Record<string, unknown>;
  /** Also hands each audit checkpoint line elsewhere (the process log, hence syslog/journald). */
  onAuditCheckpoint?: (line: string) => void;
}

/** Logs carry method, path and status — never query strings, bodies, cookies or tokens (they may hold PII). */
export function loggerOptions(level: string): Record<string, unknown> {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
      ],
      remove: true,
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/** The whole HTTP application over a prepared database. Used by the process entry and by every test. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  // The database's key version and the retired ones (npm run rekey); a retired or foreign key stops the start here.
  const crypto = await withDatabaseKeyVersions(database.db, deps.crypto);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
  });
  const replica = await openReadReplica(database, config.readReplica, app.log);
  const platform: Platform = {
    config,
    db: database.db,
    reads: replica?.reads ?? database.db,
    reportReads: replica?.reportReads ?? database.db,
    replica,
    dialect: database.dialect,
    crypto,
    clock,
    audit: new AuditLog(crypto, database.dialect, clock),
    anchor: new AuditAnchor(config.auditAnchorFile, crypto, clock, deps.onAuditCheckpoint),
    sessions: new SessionStore(crypto, clock, {
      ...config.session,
      passwordMaxAgeDays: config.password.maxAgeDays,
      mfaRequiredRoles: config.mfaRequiredRoles,
    }),
  };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installSecurityHeaders(app, config.cookieSecure);
  installApiCompression(app);
  installInputGuards(app);
  await app.register(cookie);
  if (replica) installReadRouting(app, replica, config.cookieSecure);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Guanhuai 特殊家庭扶助关怀平台 API', version: VERSION },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gh_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  installAuth(app, platform);
  installDenialAudit(app, platform);
  // Prometheus metrics (GET /metrics behind METRICS_TOKEN, or METRICS_PORT): hooks before the routes.
  const metrics = installMetrics(app, platform, database);

  healthRoutes(app, platform, VERSION);
  const services = buildServices(platform);
  usersRoutes(app, services, config);
  regionsRoutes(app, services.regions);
  auditRoutes(app, services.audit);
  familiesRoutes(app, services.families);
  contactsRoutes(app, services.contacts);
  contactLogsRoutes(app, services.contactLogs, services.idempotency);
  complianceRoutes(app, services.compliance, services.todos);
  await familyFilesRoutes(app, services);
  overdueExportRoutes(app, services.overdueExport);
  eventsRoutes(app, services.events, services.idempotency);
  festivalsRoutes(app, services.festivals, services.idempotency);
  petitionsRoutes(app, services.petitions, services.idempotency);
  needsRoutes(app, services.needs, services.idempotency);
  supervisionRoutes(app, services.supervision);
  supervisionOrdersRoutes(app, services.supervisionOrders, services.rankings);
  accountabilityRoutes(app, services.accountability);
  commendationsRoutes(app, services.commendations);
  assessmentsRoutes(app, services.assessments);
  liaisonsRoutes(app, services.liaisons, services.subsidyExport);
  countyStaffingRoutes(app, services.countyStaffing);
  partnersRoutes(app, services.partners);
  await trainingsRoutes(app, services.trainings);
  medicalServicesRoutes(app, services.medicalServices);
  duplicateArchivesRoutes(app, services.duplicateArchives);
  revealRequestsRoutes(app, services.revealRequests);
  regionKeysRoutes(app, services.regionKeys);
  await statPackagesRoutes(app, services.statPackages);
  statReturnsRoutes(app, services.statReturns);
  channelsRoutes(app, services.channels);
  await noticesRoutes(app, services.notices);
  notificationsRoutes(app, services.notifications);
  sampleSurveysRoutes(app, services.sampleSurveys);
  backupsRoutes(app, services.backups);
  countyCopyRoutes(app, services.countyCopy);
  offlineRoutes(app, services.offline);
  app.get('/api/v1/openapi.json', { config: { isPublic: true }, schema: { hide: true } }, async () => app.swagger());

  if (config.serveWeb && hasWebApp(WEB_DIST)) await registerWebApp(app, WEB_DIST);
  app.decorate('platform', platform);
  app.decorate('services', services);
  app.decorate('metrics', metrics);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform;
    services: Services;
    metrics: Metrics;
  }
}
