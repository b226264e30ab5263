import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Channel,
  ChannelAdminCandidate,
  ChannelCoverage,
  ChannelCreate,
  ChannelUpdate,
} from '../../../common/schemas/channels';
import { api, type Envelope } from './client';

export type { Channel, ChannelAdminCandidate, ChannelCoverage, ChannelCreate, ChannelUpdate };

export const channelKeys = {
  all: ['channels'] as const,
  list: (regionCode: string | undefined) => ['channels', 'list', regionCode ?? ''] as const,
  coverage: (regionCode: string) => ['channels', 'coverage', regionCode] as const,
  candidates: (regionCode: string) => ['channels', 'candidates', regionCode] as const,
};

/** The groups of a region's counties (county staff: their own county's). */
export function useChannels(regionCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: channelKeys.list(regionCode),
    queryFn: async ({ signal }) => (await api.get<Envelope<Channel[]>>('/channels', { regionCode }, signal)).data,
    enabled,
  });
}

/** Which counties under a city or the province have no group in use (flagged to the city). */
export function useChannelCoverage(regionCode: string, enabled: boolean) {
  return useQuery({
    queryKey: channelKeys.coverage(regionCode),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<ChannelCoverage>>('/channels/coverage', { regionCode }, signal)).data,
    enabled,
  });
}

/** The county's staff accounts that may be named a group's administrators. */
export function useChannelAdminCandidates(regionCode: string, enabled: boolean) {
  return useQuery({
    queryKey: channelKeys.candidates(regionCode),
    queryFn: async ({ signal }) =>
      (await api.get<Envelope<ChannelAdminCandidate[]>>('/channels/admin-candidates', { regionCode }, signal)).data,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useSaveChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (
      input: { id?: undefined; body: ChannelCreate } | { id: string; body: ChannelUpdate },
    ): Promise<Channel> =>
      input.id
        ? (await api.patch<Envelope<Channel>>(`/channels/${encodeURIComponent(input.id)}`, input.body)).data
        : (await api.post<Envelope<Channel>>('/channels', input.body)).data,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: channelKeys.all }),
  });
}
