import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type Profile = components['schemas']['ProfileResponse']

export const profileKey = ['account', 'profile'] as const

export function getProfile(): Promise<Profile> {
  return unwrap(api.GET('/api/account/profile'))
}

export const profileQueryOptions = () => queryOptions({ queryKey: profileKey, queryFn: getProfile, staleTime: 60_000 })

export function useProfile() {
  return useQuery(profileQueryOptions())
}
