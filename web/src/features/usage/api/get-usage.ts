import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'
import { queryKeys } from '@/lib/query-client'

export type Usage = components['schemas']['UsageResponse']

export function getUsage(): Promise<Usage> {
  return unwrap(api.GET('/api/usage'))
}

export const usageQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.usage, queryFn: getUsage, refetchInterval: 30_000 })

export function useUsage() {
  return useQuery(usageQueryOptions())
}
