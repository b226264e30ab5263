import { createComplianceFacts, createComplianceService } from './modules/compliance/compliance.service.js';
import { createOverdueExportService } from './modules/compliance/overdue-export.service.js';
import { createContactLogsService } from './modules/contact-logs/contact-logs.service.js';
import { createContactsService } from './modules/contacts/contacts.service.js';
import { createEventsService } from './modules/events/events.service.js';
import { createFamiliesExportService } from './modules/families/families-export.service.js';
import { createFamiliesService } from './modules/families/families.service.js';
import { createDuplicateArchivesService } from './modules/families/duplicate-archives.service.js';
import { createFamilyImportsService } from './modules/families/family-imports.service.js';
import { createFestivalsService } from './modules/festivals/festivals.service.js';
import { createNeedsService } from './modules/needs/needs.service.js';
import { createPetitionsService } from './modules/petitions/petitions.service.js';
import { createTodosService } from './modules/todos/todos.service.js';
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
import type { Platform } from './platform/context.js';
import type { Job } from './platform/jobs.js';
import { levelOfCode } from './platform/scope.js';
import type { Role } from '../common/roles.js';
import type { DigestUser } from './modules/notifications/notifications.service.js';

/** Every domain service, built once per app over the platform, in dependency order. */
export function buildServices(platform: Platform) {
  // The bell first: other modules call its `notify` inside their own transactions.
  const notifications = createNotificationsService(platform);
  const facts = createComplianceFacts(platform);
  const compliance = createComplianceService(platform, facts);
  const families = createFamiliesService(platform, facts);
  const contacts = createContactsService(platform, families);
  const events = createEventsService(platform, families, { notify: notifications.notify });
  const petitions = createPetitionsService(platform, families, { notify: notifications.notify });
  const contactLogs = createContactLogsService(platform, families, facts, [events.onHomeVisit, petitions.onHomeVisit]);
  const festivals = createFestivalsService(platform, families);
  const needs = createNeedsService(platform, families);
  const trainings = createTrainingsService(platform);
  // Statistical returns (R9): modules add their indicators with `indicators.register(theirIndicators)`.
  const indicators = createCoreIndicators();
  const statReturns = createStatReturnsService(platform, indicators, facts);
  const todos = createTodosService(platform, {
    compliance,
    events,
    festivals,
    petitions,
    needs,
    trainings,
    statReturns,
  });
  const familyImports = createFamilyImportsService(platform, families);
  const familiesExport = createFamiliesExportService(platform, families);
  const overdueExport = createOverdueExportService(platform, compliance);
  // The people around the families (R12–R15).
  const liaisons = createLiaisonsService(platform, families);
  const subsidyExport = createSubsidyExportService(liaisons);
  const countyStaffing = createCountyStaffingService(platform);
  const partners = createPartnersService(platform, families);
  const medicalServices = createMedicalServicesService(platform, { families, contacts });
  indicators.register(peopleIndicators);
  const duplicateArchives = createDuplicateArchivesService(platform, families);
  // R9 transmission: the levels' SM2 keys and the signed, enveloped packages of the returns.
  const regionKeys = createRegionKeysService(platform);
  const statPackages = createStatPackagesService(platform, { regionKeys, indicators, returns: statReturns });
  const channels = createChannelsService(platform);
  const notices = createNoticesService(platform, channels, notifications.notify);
  const deliveries = createDeliveryWorker(platform, channels, notifications.notify);
  return {
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
    regionKeys,
    statPackages,
    statReturns,
    notifications,
    channels,
    notices,
    deliveries,
  };
}
export type Services = ReturnType<typeof buildServices>;

/** The scheduler's jobs of the notification centre and the notice outbox (run by `platform/jobs.ts`). */
export function notificationJobs(services: Services): Job[] {
  const todoCount = async (u: DigestUser) =>
    (
      await services.todos.list({
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
      })
    ).length;
  return [
    { name: 'deliver-outbox', everyMs: 3_000, run: (now) => services.deliveries.runOnce(now) },
    {
      name: 'remind-overdue-needs',
      everyMs: 10 * 60_000,
      run: (now) => services.notifications.remindOverdueNeeds(now),
    },
    { name: 'notification-digest', everyMs: 60_000, run: (now) => services.notifications.sendDigest(now, todoCount) },
  ];
}
