import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { Chat, ChatPage } from './types'

export async function listChats(cursor?: string): Promise<ChatPage> {
  return unwrap(api.GET('/api/chats', { params: { query: { cursor, limit: 30 } } }))
}

export const chatsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: queryKeys.chats,
    queryFn: ({ pageParam }) => listChats(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Other tabs and devices change the list too; polling keeps it in step without a socket.
    refetchInterval: 10_000,
  })

export function useChats() {
  return useInfiniteQuery(chatsQueryOptions())
}

export function flattenChats(data: InfiniteData<ChatPage> | undefined): Chat[] {
  return data?.pages.flatMap((p) => p.items) ?? []
}
