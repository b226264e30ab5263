import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CountyStaffing,
  CountyStaffingCheck,
  CountyStaffingQuery,
  CountyStaffingSet,
  CountyStaffingSummary,
} from '../../../common/schemas/county-staffing';
import type {
  Liaison,
  LiaisonCoverage,
  LiaisonCreate,
  LiaisonListQuery,
  LiaisonReport,
  LiaisonReportCreate,
  LiaisonUpdate,
  Subsidy,
  SubsidyCreate,
  SubsidyTotals,
} from '../../../common/schemas/liaisons';
import type {
  FamilyMedicalServices,
  MedicalCoverage,
  MedicalServiceCreate,
  MedicalServiceEnd,
} from '../../../common/schemas/medical-services';
import type {
  Pairing,
  PairingActivityCreate,
  PairingCoverage,
  PairingCreate,
  PairingEnd,
  PairingListQuery,
  PairingWithActivities,
  PartnerOrganization,
  PartnerOrganizationCreate,
  PartnerOrganizationQuery,
} from '../../../common/schemas/partners';
import type {
  AttendanceImportResult,
  Training,
  TrainingCoverage,
  TrainingCreate,
  TrainingDetail,
  TrainingListQuery,
  TrainingPerson,
} from '../../../common/schemas/trainings';
import { api, type Envelope, type ListEnvelope } from './client';
import { postMultipart } from './imports';
import { todoKeys } from './todos';

export type {
  CountyStaffing,
  CountyStaffingCheck,
  CountyStaffingSummary,
  FamilyMedicalServices,
  Liaison,
  LiaisonCoverage,
  LiaisonReport,
  MedicalCoverage,
  Pairing,
  PairingCoverage,
  PairingWithActivities,
  PartnerOrganization,
  Subsidy,
  SubsidyTotals,
  Training,
  TrainingCoverage,
  TrainingDetail,
  TrainingPerson,
  AttendanceImportResult,
};

/**
 * A list's filters are its route's query schema as a browser writes them (`z.input`: flags as 'true' |
 * 'false'), with the page.
 */
type Paged<Q extends z.ZodType> = z.input<Q> & { page: number; pageSize: number };
const enc = encodeURIComponent;

/* 联络员 (R12) */

export type LiaisonFilters = Paged<typeof LiaisonListQuery>;

export const peopleKeys = {
  liaisons: ['liaisons'] as const,
  staffing: ['county-staffing'] as const,
  partners: ['partners'] as const,
  trainings: ['trainings'] as const,
  medical: ['medical-services'] as const,
};

export function useLiaisons(filters: LiaisonFilters) {
  return useQuery({
    queryKey: [...peopleKeys.liaisons, 'list', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<Liaison>>('/liaisons', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useLiaisonCoverage(regionCode: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.liaisons, 'coverage', regionCode],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<LiaisonCoverage>>('/liaisons/coverage', { regionCode }, signal)).data,
  });
}

export function useSubsidyTotals(regionCode: string | undefined, year: number) {
  return useQuery({
    queryKey: [...peopleKeys.liaisons, 'totals', regionCode, year],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<SubsidyTotals>>('/liaison-subsidies/totals', { regionCode, year }, signal)).data,
  });
}

export function useLiaisonReports(id: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.liaisons, 'reports', id],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<LiaisonReport[]>>(`/liaisons/${enc(id!)}/reports`, undefined, signal)).data,
    enabled: !!id,
  });
}

export function useLiaisonSubsidies(id: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.liaisons, 'subsidies', id],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<Subsidy[]>>(`/liaisons/${enc(id!)}/subsidies`, undefined, signal)).data,
    enabled: !!id,
  });
}

/** Every write of this family of pages refreshes its own lists and the todos (training reminders). */
function useInvalidating<I, O>(key: readonly string[], fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: key });
      void client.invalidateQueries({ queryKey: todoKeys.all });
    },
  });
}

export function useCreateLiaison() {
  return useInvalidating(
    peopleKeys.liaisons,
    async (input: LiaisonCreate) => (await api.post<Envelope<Liaison>>('/liaisons', input)).data,
  );
}

export function useUpdateLiaison() {
  return useInvalidating(
    peopleKeys.liaisons,
    async ({ id, ...patch }: LiaisonUpdate & { id: string }) =>
      (await api.patch<Envelope<Liaison>>(`/liaisons/${enc(id)}`, patch)).data,
  );
}

export function useAddLiaisonReport() {
  return useInvalidating(
    peopleKeys.liaisons,
    async ({ id, ...body }: LiaisonReportCreate & { id: string }) =>
      (await api.post<Envelope<LiaisonReport>>(`/liaisons/${enc(id)}/reports`, body)).data,
  );
}

export function useAddSubsidy() {
  return useInvalidating(
    peopleKeys.liaisons,
    async ({ id, ...body }: SubsidyCreate & { id: string }) =>
      (await api.post<Envelope<Subsidy>>(`/liaisons/${enc(id)}/subsidies`, body)).data,
  );
}

export function useSetProgramme() {
  return useInvalidating(
    peopleKeys.liaisons,
    async ({ countyCode, ...body }: { countyCode: string; isRunning: boolean; version?: number }) =>
      (await api.put<Envelope<{ isRunning: boolean; version: number }>>(`/liaison-programmes/${enc(countyCode)}`, body))
        .data,
  );
}

/* 县级人员配备 (R13) */

export type StaffingFilters = Paged<typeof CountyStaffingQuery>;

export function useCountyStaffingList(filters: StaffingFilters) {
  return useQuery({
    queryKey: [...peopleKeys.staffing, 'list', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<CountyStaffingCheck>>('/county-staffing', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCountyStaffingSummary(regionCode: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.staffing, 'summary', regionCode],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<CountyStaffingSummary>>('/county-staffing/summary', { regionCode }, signal)).data,
  });
}

export function useCountyStaffing(countyCode: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.staffing, 'county', countyCode],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<CountyStaffing>>(`/county-staffing/${enc(countyCode!)}`, undefined, signal)).data,
    enabled: !!countyCode,
  });
}

export function useSetCountyStaffing() {
  return useInvalidating(
    peopleKeys.staffing,
    async ({ countyCode, ...body }: CountyStaffingSet & { countyCode: string }) =>
      (await api.put<Envelope<CountyStaffing>>(`/county-staffing/${enc(countyCode)}`, body)).data,
  );
}

/* 结对帮扶 (R14) */

export type OrganizationFilters = Paged<typeof PartnerOrganizationQuery>;
export type PairingFilters = Paged<typeof PairingListQuery>;

export function usePartnerOrganizations(filters: OrganizationFilters) {
  return useQuery({
    queryKey: [...peopleKeys.partners, 'organizations', filters],
    queryFn: ({ signal }) =>
      api.get<ListEnvelope<PartnerOrganization>>('/partner-organizations', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreatePartnerOrganization() {
  return useInvalidating(
    peopleKeys.partners,
    async (input: PartnerOrganizationCreate) =>
      (await api.post<Envelope<PartnerOrganization>>('/partner-organizations', input)).data,
  );
}

export function usePairings(filters: PairingFilters) {
  return useQuery({
    queryKey: [...peopleKeys.partners, 'pairings', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<Pairing>>('/pairings', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePairingCoverage(regionCode: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.partners, 'coverage', regionCode],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<PairingCoverage>>('/pairings/coverage', { regionCode }, signal)).data,
  });
}

export function useFamilyPairings(familyId: string) {
  return useQuery({
    queryKey: [...peopleKeys.partners, 'family', familyId],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<PairingWithActivities[]>>(`/families/${enc(familyId)}/pairings`, undefined, signal)).data,
  });
}

export function useCreatePairing() {
  return useInvalidating(
    peopleKeys.partners,
    async ({ familyId, ...body }: PairingCreate & { familyId: string }) =>
      (await api.post<Envelope<Pairing>>(`/families/${enc(familyId)}/pairings`, body)).data,
  );
}

export function useEndPairing() {
  return useInvalidating(
    peopleKeys.partners,
    async ({ id, ...body }: PairingEnd & { id: string }) =>
      (await api.post<Envelope<Pairing>>(`/pairings/${enc(id)}/end`, body)).data,
  );
}

export function useAddPairingActivity() {
  return useInvalidating(
    peopleKeys.partners,
    async ({ id, ...body }: PairingActivityCreate & { id: string }) =>
      (await api.post<Envelope<unknown>>(`/pairings/${enc(id)}/activities`, body)).data,
  );
}

/* 培训 (R15) */

/** The year as a number (the query coerces text, so its input type is `unknown`). */
export type TrainingFilters = z.infer<typeof TrainingListQuery> & { page: number; pageSize: number };

export function useTrainings(filters: TrainingFilters) {
  return useQuery({
    queryKey: [...peopleKeys.trainings, 'list', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<Training>>('/trainings', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTraining(id: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.trainings, 'one', id],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<TrainingDetail>>(`/trainings/${enc(id!)}`, undefined, signal)).data,
    enabled: !!id,
  });
}

export function useTrainingCoverage(regionCode: string | undefined, year: number) {
  return useQuery({
    queryKey: [...peopleKeys.trainings, 'coverage', regionCode, year],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<TrainingCoverage>>('/trainings/coverage', { regionCode, year }, signal)).data,
  });
}

export function useUntrained(filters: TrainingFilters) {
  return useQuery({
    queryKey: [...peopleKeys.trainings, 'untrained', filters],
    queryFn: ({ signal }) => api.get<ListEnvelope<TrainingPerson>>('/trainings/untrained', { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreateTraining() {
  return useInvalidating(
    peopleKeys.trainings,
    async (input: TrainingCreate) => (await api.post<Envelope<TrainingDetail>>('/trainings', input)).data,
  );
}

export function useSetAttendance() {
  return useInvalidating(
    peopleKeys.trainings,
    async ({ id, ...body }: { id: string; version: number; contactIds: string[] }) =>
      (await api.put<Envelope<TrainingDetail>>(`/trainings/${enc(id)}/attendance`, body)).data,
  );
}

export function useImportAttendance() {
  return useInvalidating(
    peopleKeys.trainings,
    ({ id, file, mode }: { id: string; file: File; mode: 'validate' | 'commit' }) => {
      const form = new FormData();
      form.append('mode', mode);
      form.append('file', file, file.name);
      return postMultipart<AttendanceImportResult>(`/trainings/${enc(id)}/attendance-import`, form);
    },
  );
}

/* 家庭医生签约、就医绿色通道 (三个全覆盖) */

export function useFamilyMedical(familyId: string) {
  return useQuery({
    queryKey: [...peopleKeys.medical, 'family', familyId],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<FamilyMedicalServices>>(`/families/${enc(familyId)}/medical-services`, undefined, signal))
        .data,
  });
}

export function useRecordMedical() {
  return useInvalidating(
    peopleKeys.medical,
    async ({ familyId, ...body }: MedicalServiceCreate & { familyId: string }) =>
      (await api.post<Envelope<FamilyMedicalServices>>(`/families/${enc(familyId)}/medical-services`, body)).data,
  );
}

export function useEndMedical() {
  return useInvalidating(
    peopleKeys.medical,
    async ({ familyId, serviceId, ...body }: MedicalServiceEnd & { familyId: string; serviceId: string }) =>
      (
        await api.post<Envelope<FamilyMedicalServices>>(
          `/families/${enc(familyId)}/medical-services/${enc(serviceId)}/end`,
          body,
        )
      ).data,
  );
}

export function useMedicalCoverage(regionCode: string | undefined) {
  return useQuery({
    queryKey: [...peopleKeys.medical, 'coverage', regionCode],
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<MedicalCoverage>>('/medical-services/coverage', { regionCode }, signal)).data,
  });
}
