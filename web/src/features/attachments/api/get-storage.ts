import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type Storage = components['schemas']['StorageResponse']

export function getStorage() {
  return unwrap(api.GET('/api/attachments/storage'))
}

export const storageQueryOptions = () => queryOptions({ queryKey: ['attachments', 'storage'] as const, queryFn: getStorage, staleTime: 30_000 })

export function useStorage() {
  return useQuery(storageQueryOptions())
}
