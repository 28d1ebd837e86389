import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type Dashboard = components['schemas']['DashboardResponse']
export type DashboardDay = components['schemas']['DashboardDay']
export type DashboardModel = components['schemas']['DashboardModel']

/** The last so many days to today, or a custom range (yyyy-mm-dd, in the operator's time zone). */
export type DashboardRange = { days: number } | { from: string; to: string }

export function useDashboard(range: DashboardRange) {
  return useQuery({
    queryKey: ['admin', 'dashboard', range],
    queryFn: () => unwrap(api.GET('/api/admin/dashboard', { params: { query: range } })),
    placeholderData: keepPreviousData, // the old figures stay while a new range loads
    staleTime: 60_000,
  })
}
