import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query'
import { useMemo } from 'react'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { MessagePage, PendingMessage } from './types'

/** Which page: the newest (nothing), before or after a message, or around one (a search hit). */
export type PageParam = { before?: number; after?: number; around?: number }

export function listMessages(chatId: number, page: PageParam = {}): Promise<MessagePage> {
  return unwrap(api.GET('/api/chats/{chatId}/messages', { params: { path: { chatId }, query: { ...page, limit: 30 } } }))
}

/** Pages of history: pages[0] is the newest; fetching the "next" page loads older messages. */
export const messagesQueryOptions = (chatId: number) =>
  infiniteQueryOptions({
    queryKey: queryKeys.messages(chatId),
    queryFn: ({ pageParam }) => listMessages(chatId, pageParam === undefined ? {} : { before: pageParam }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Poll for changes from other tabs, but not while a reply streams in: the stream is fresher than the database.
    refetchInterval: (query) => (flattenMessages(query.state.data).some((m) => m.status === 'Streaming') ? false : 5_000),
  })

/**
 * Pages around a message, as opened from search: the "next" page is older, the "previous" newer, so pages[0] is
 * still the newest. Not polled: it is left for the newest page as soon as the user writes.
 */
export const messagesAroundQueryOptions = (chatId: number, messageId: number) =>
  infiniteQueryOptions({
    queryKey: [...queryKeys.messages(chatId), 'around', messageId] as const,
    queryFn: ({ pageParam }) => listMessages(chatId, pageParam),
    initialPageParam: { around: messageId } as PageParam,
    getNextPageParam: (last): PageParam | undefined => (last.nextCursor ? { before: last.nextCursor } : undefined),
    getPreviousPageParam: (first): PageParam | undefined => (first.newerCursor ? { after: first.newerCursor } : undefined),
  })

export function useMessages(chatId: number | undefined) {
  return useInfiniteQuery({ ...messagesQueryOptions(chatId ?? 0), enabled: chatId !== undefined })
}

/** A chat's history: the newest pages, or, with <paramref>focusId</paramref>, the pages around that message. */
export function useChatHistory(chatId: number | undefined, focusId: number | undefined) {
  const latest = useInfiniteQuery({ ...messagesQueryOptions(chatId ?? 0), enabled: chatId !== undefined && focusId === undefined })
  const around = useInfiniteQuery({
    ...messagesAroundQueryOptions(chatId ?? 0, focusId ?? 0),
    enabled: chatId !== undefined && focusId !== undefined,
  })
  const query = focusId === undefined ? latest : around
  const messages = useMemo(() => flattenMessages(query.data), [query.data])
  const aroundPage = around.data?.pages[around.data.pageParams.findIndex((p) => (p as PageParam).around !== undefined)]
  return {
    query,
    messages,
    hasOlder: query.hasNextPage,
    loadingOlder: query.isFetchingNextPage,
    loadOlder: () => void query.fetchNextPage(),
    hasNewer: focusId !== undefined && around.hasPreviousPage,
    loadingNewer: focusId !== undefined && around.isFetchingPreviousPage,
    loadNewer: () => void around.fetchPreviousPage(),
    /** The message opened is on another branch than the chat's: showing it means switching to it. */
    offBranch: focusId !== undefined && aroundPage?.onActiveBranch === false,
  }
}

/** All loaded messages in reading order (oldest first). */
export function flattenMessages(data: InfiniteData<MessagePage, unknown> | undefined): PendingMessage[] {
  return data ? [...data.pages].reverse().flatMap((p) => p.items) : []
}
