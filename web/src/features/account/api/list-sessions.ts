import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type Session = components['schemas']['DeviceSessionResponse']

export const sessionsKey = ['account', 'sessions'] as const

export async function listSessions(): Promise<Session[]> {
  return (await unwrap(api.GET('/api/account/sessions'))).sessions
}

export const sessionsQueryOptions = () => queryOptions({ queryKey: sessionsKey, queryFn: listSessions })

export function useSessions() {
  return useQuery(sessionsQueryOptions())
}
