import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type DataExport = components['schemas']['ExportResponse']

export const exportsKey = ['account', 'exports'] as const

const preparing = (e: DataExport | undefined) => e?.status === 'Pending' || e?.status === 'Building'

/** The user's exports, newest first; asked again every 2 s while the newest is being prepared. */
export function useExports() {
  return useQuery({
    queryKey: exportsKey,
    queryFn: async () => (await unwrap(api.GET('/api/account/exports'))).exports,
    refetchInterval: (query) => (preparing(query.state.data?.[0]) ? 2000 : false),
  })
}

/** Asks for an export (a second ask while one is prepared returns that one). */
export function useStartExport() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(api.POST('/api/account/exports')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: exportsKey }),
  })
}

export { preparing }
