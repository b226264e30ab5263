import { createAuditService } from './modules/audit/audit.service.js';
import { createRegionsService } from './modules/regions/regions.service.js';
import { createSupervisionService } from './modules/supervision/supervision.service.js';
import { createAuthService } from './modules/users/auth.service.js';
import { createMfaService } from './modules/users/mfa.service.js';
import { createUsersService } from './modules/users/users.service.js';
import { createCountyCopyService } from './modules/county-copy/county-copy.service.js';
import { BackupsService } from './modules/backups/backups.service.js';
import { createComplianceFacts, createComplianceService } from './modules/compliance/compliance.service.js';
import { createOverdueExportService } from './modules/compliance/overdue-export.service.js';
import { createContactLogsService } from './modules/contact-logs/contact-logs.service.js';
import { createContactsService } from './modules/contacts/contacts.service.js';
import { createEventsService } from './modules/events/events.service.js';
import { createFamiliesExportService } from './modules/families/families-export.service.js';
import { createFamiliesService } from './modules/families/families.service.js';
import { createFamilyLocator } from './modules/families/family-locator.js';
import { createDuplicateArchivesService } from './modules/families/duplicate-archives.service.js';
import { createFamilyImportsService } from './modules/families/family-imports.service.js';
import { createFestivalsService } from './modules/festivals/festivals.service.js';
import { createNeedsService } from './modules/needs/needs.service.js';
import { createAccountabilityService } from './modules/accountability/accountability.service.js';
import { createCommendationsService } from './modules/commendations/commendations.service.js';
import { createAssessmentsService } from './modules/assessments/assessments.service.js';
import { createPetitionsService } from './modules/petitions/petitions.service.js';
import { createTodosService } from './modules/todos/todos.service.js';
import { createRankingsService } from './modules/supervision-orders/rankings.service.js';
import { createSupervisionOrdersService } from './modules/supervision-orders/supervision-orders.service.js';
import { createRevealRequestsService } from './modules/reveals/reveal-requests.service.js';
import { createCoreIndicators } from './modules/stat-returns/indicators/index.js';
import { createLiaisonsService } from './modules/liaisons/liaisons.service.js';
import { createSubsidyExportService } from './modules/liaisons/subsidy-export.service.js';
import { createCountyStaffingService } from './modules/county-staffing/county-staffing.service.js';
import { createMedicalServicesService } from './modules/medical-services/medical-services.service.js';
import { createPartnersService } from './modules/partners/partners.service.js';
import { createTrainingsService } from './modules/trainings/trainings.service.js';
import { peopleIndicators } from './modules/people/indicators.js';
import { createRegionKeysService } from './modules/region-keys/region-keys.service.js';
import { createStatPackagesService } from './modules/stat-packages/stat-packages.service.js';
import { createStatReturnsService } from './modules/stat-returns/stat-returns.service.js';
import { createChannelsService } from './modules/channels/channels.service.js';
import { createDeliveryWorker } from './modules/notices/delivery.worker.js';
import { createNoticesService } from './modules/notices/notices.service.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import { createSampleSurveysService } from './modules/sample-surveys/sample-surveys.service.js';
import { createPushProviders } from './modules/notifications/providers/index.js';
import { createPushWorker } from './modules/notifications/push.worker.js';
import type { Platform } from './platform/context.js';
import type { Job } from './platform/jobs.js';
import { createIdempotencyService } from './modules/idempotency/idempotency.service.js';
import { createOfflineService } from './modules/offline/offline.service.js';
import { levelOfCode } from './platform/scope.js';
import type { Role } from '../common/roles.js';
import type { DigestUser } from './modules/notifications/notifications.service.js';

/** Every domain service, built once per app over the platform, in dependency order. */
export function buildServices(platform: Platform) {
  // Accounts, sessions and second factors; the region tree; the audit log's reader.
  const auth = createAuthService(platform);
  const users = createUsersService(platform);
  const mfa = createMfaService(platform);
  const regions = createRegionsService(platform);
  const audit = createAuditService(platform);
  // The bell first: other modules call its `notify` inside their own transactions.
  const notifications = createNotificationsService(platform);
  // Exactly-once phone-side POSTs (Idempotency-Key), shared by the routes of the modules below.
  const idempotency = createIdempotencyService(platform);
  const facts = createComplianceFacts(platform);
  const compliance = createComplianceService(platform, facts);
  // What other modules need of the archive: find a family in scope, move its version on (issue 12).
  const familyLocator = createFamilyLocator(platform);
  const contacts = createContactsService(platform, familyLocator);
  // A status change ends, suspends or gives back the family's 双岗 posts through the contacts service.
  const families = createFamiliesService(platform, facts, contacts);
  const events = createEventsService(
    platform,
    { locate: familyLocator.locate, recordDeath: families.recordDeath },
    { notify: notifications.notify },
  );
  // R17 问责: opened inside the petition event's own transaction when it is province level or beyond.
  const accountability = createAccountabilityService(platform);
  const petitions = createPetitionsService(platform, familyLocator, {
    notify: notifications.notify,
    onEvent: accountability.onPetitionEvent,
  });
  const contactLogs = createContactLogsService(platform, familyLocator, facts, [
    events.onHomeVisit,
    petitions.onHomeVisit,
  ]);
  const festivals = createFestivalsService(platform, familyLocator);
  const needs = createNeedsService(platform, familyLocator);
  // The supervisor's page: reads the events, festivals, petitions and needs modules, holds nothing itself.
  const supervision = createSupervisionService(platform, { events, festivals, petitions, needs });
  const trainings = createTrainingsService(platform);
  // Statistical returns (R9): modules add their indicators with `indicators.register(theirIndicators)`.
  const indicators = createCoreIndicators();
  const statReturns = createStatReturnsService(platform, indicators, facts, { notify: notifications.notify });
  const revealRequests = createRevealRequestsService(platform, families);
  // R16: the yearly sample survey; `sampleSurveys.estimatesFor(regionCode, surveyId)` feeds the assessment.
  const sampleSurveys = createSampleSurveysService(platform);
  // 通报 and 督办 (issue 11 item 13): rankings read the dashboard's own figures; orders land in todos.
  const supervisionOrders = createSupervisionOrdersService(platform, { notify: notifications.notify });
  const rankings = createRankingsService(platform, { compliance, contacts, festivals });
  // R17 表彰: candidates ranked from the compliance module's per-contact figures and the survey answers.
  const commendations = createCommendationsService(platform, { compliance, accountability });
  const todos = createTodosService(platform, {
    compliance,
    contacts,
    events,
    festivals,
    petitions,
    needs,
    trainings,
    statReturns,
    revealRequests,
    sampleSurveys,
    supervisionOrders,
    accountability,
  });
  // The phone's offline copy (issue #17).
  const offline = createOfflineService(platform, todos, contacts);
  const familyImports = createFamilyImportsService(platform, families);
  const familiesExport = createFamiliesExportService(platform, families);
  const overdueExport = createOverdueExportService(platform, compliance);
  // The people around the families (R12–R15).
  const liaisons = createLiaisonsService(platform, familyLocator);
  const subsidyExport = createSubsidyExportService(liaisons);
  const countyStaffing = createCountyStaffingService(platform);
  const partners = createPartnersService(platform, familyLocator);
  const medicalServices = createMedicalServicesService(platform, { families: familyLocator, contacts });
  indicators.register(peopleIndicators);
  const duplicateArchives = createDuplicateArchivesService(platform, families);
  // R9 transmission: the levels' SM2 keys and the signed, enveloped packages of the returns.
  const regionKeys = createRegionKeysService(platform);
  // 考核: scored from the statistical-return indicators (all registered by now) and the sample survey.
  const assessments = createAssessmentsService(platform, { indicators, statReturns, sampleSurveys });
  const statPackages = createStatPackagesService(platform, { regionKeys, indicators, returns: statReturns });
  const channels = createChannelsService(platform);
  const notices = createNoticesService(platform, channels, notifications.notify);
  const deliveries = createDeliveryWorker(platform, channels, notifications.notify);
  // The bell's pushes (WeCom application message, SMS) through the providers this deployment configured.
  const pushes = createPushWorker(
    platform,
    createPushProviders(platform.config, () => platform.clock.now()),
  );
  return {
    auth,
    users,
    mfa,
    regions,
    audit,
    supervision,
    idempotency,
    offline,
    facts,
    compliance,
    families,
    contacts,
    events,
    petitions,
    contactLogs,
    festivals,
    needs,
    todos,
    familyImports,
    familiesExport,
    overdueExport,
    indicators,
    liaisons,
    subsidyExport,
    countyStaffing,
    partners,
    trainings,
    medicalServices,
    duplicateArchives,
    revealRequests,
    regionKeys,
    statPackages,
    statReturns,
    notifications,
    channels,
    notices,
    deliveries,
    sampleSurveys,
    pushes,
    backups: new BackupsService(platform),
    supervisionOrders,
    rankings,
    countyCopy: createCountyCopyService(platform, regionKeys),
    accountability,
    commendations,
    assessments,
  };
}
export type Services = ReturnType<typeof buildServices>;

/** The scheduler's jobs of the notification centre and the notice outbox (run by `platform/jobs.ts`). */
export function notificationJobs(services: Services): Job[] {
  // Each account's todos by kind, for its 8:00 digest (counts only: the digest names no family).
  const todoCount = async (u: DigestUser) => {
    const byKind: Record<string, number> = {};
    for (const todo of await services.todos.list({
      actor: {
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        role: u.role as Role,
        regionCode: u.region_code,
        regionLevel: levelOfCode(u.region_code),
        sessionIdHash: '',
        mustChangePassword: false,
      },
    }))
      byKind[todo.kind] = (byKind[todo.kind] ?? 0) + 1;
    return byKind;
  };
  return [
    { name: 'deliver-outbox', everyMs: 3_000, run: (now) => services.deliveries.runOnce(now) },
    { name: 'push-notifications', everyMs: 5_000, run: (now) => services.pushes.runOnce(now) },
    {
      name: 'remind-overdue-needs',
      everyMs: 10 * 60_000,
      run: (now) => services.notifications.remindOverdueNeeds(now),
    },
    { name: 'remind-returns-due', everyMs: 10 * 60_000, run: (now) => services.statReturns.remindDue(now) },
    { name: 'notification-digest', everyMs: 60_000, run: (now) => services.notifications.sendDigest(now, todoCount) },
    // Idempotency keys are kept 30 days (issue #17), then purged.
    { name: 'purge-idempotency-keys', everyMs: 3_600_000, run: (now) => services.idempotency.purge(now) },
  ];
}
