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
import type { Platform } from './platform/context.js';

/** Every domain service, built once per app over the platform, in dependency order. */
export function buildServices(platform: Platform) {
  const facts = createComplianceFacts(platform);
  const compliance = createComplianceService(platform, facts);
  const families = createFamiliesService(platform, facts);
  const contacts = createContactsService(platform, families);
  const events = createEventsService(platform, families);
  const petitions = createPetitionsService(platform, families);
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
  const statPackages = createStatPackagesService(platform, { regionKeys, indicators, returns: null });
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
  };
}
export type Services = ReturnType<typeof buildServices>;
