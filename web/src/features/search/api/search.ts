import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type SearchResponse = components['schemas']['SearchResponse']
export type MessageHit = components['schemas']['MessageHit']
export type ChatHit = components['schemas']['ChatHit']
export type SnippetPart = components['schemas']['SnippetPart']

export function search(q: string, cursor?: string): Promise<SearchResponse> {
  return unwrap(api.GET('/api/search', { params: { query: { q, cursor, limit: 20 } } }))
}

export const searchQueryOptions = (q: string) =>
  infiniteQueryOptions({
    queryKey: ['search', q] as const,
    queryFn: ({ pageParam }) => search(q, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 30_000,
  })

/** Results for what was typed (empty: no request). The previous results stay while the next arrive. */
export function useSearch(q: string) {
  const trimmed = q.trim()
  return useInfiniteQuery({ ...searchQueryOptions(q), enabled: trimmed.length > 0, placeholderData: keepPreviousData })
}
