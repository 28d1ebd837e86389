import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { MessagePage, PendingMessage } from './types'

export function listMessages(chatId: number, before?: number): Promise<MessagePage> {
  return unwrap(
    api.GET('/api/chats/{chatId}/messages', { params: { path: { chatId }, query: { before, limit: 30 } } }),
  )
}

/** Pages of history: pages[0] is the newest; fetching the "next" page loads older messages. */
export const messagesQueryOptions = (chatId: number) =>
  infiniteQueryOptions({
    queryKey: queryKeys.messages(chatId),
    queryFn: ({ pageParam }) => listMessages(chatId, pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Poll for changes from other tabs, but not while a reply streams in: the stream is fresher than the database.
    refetchInterval: (query) => (flattenMessages(query.state.data).some((m) => m.status === 'Streaming') ? false : 5_000),
  })

export function useMessages(chatId: number | undefined) {
  return useInfiniteQuery({ ...messagesQueryOptions(chatId ?? 0), enabled: chatId !== undefined })
}

/** All loaded messages in reading order (oldest first). */
export function flattenMessages(data: InfiniteData<MessagePage> | undefined): PendingMessage[] {
  return data ? [...data.pages].reverse().flatMap((p) => p.items) : []
}
