import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'
import { queryKeys } from '@/lib/query-client'

export type PlanInfo = components['schemas']['PlanResponse']

export function getPlans() {
  return unwrap(api.GET('/api/plans'))
}

export const plansQueryOptions = () => queryOptions({ queryKey: queryKeys.plans, queryFn: getPlans, staleTime: 300_000 })

export function usePlans() {
  return useQuery(plansQueryOptions())
}
