import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { authorizedFetch } from '@/lib/api-client'
import { ApiError, type Problem } from '@/lib/problem'
import { queryKeys } from '@/lib/query-client'
import { readSse, type SseMessage } from '@/lib/sse'
import type { Usage } from '@/features/usage/api/get-usage'
import type { Message, MessagePage, PendingMessage } from './types'

type StartEvent = { userMessage: Message; reply: Message; usage: Usage }
type DoneEvent = { userMessage?: Message; reply: Message; usage: Usage }
type ErrorEvent = Problem & { messageId?: number | null; usage?: Usage | null }

let nextTemporaryId = -1

/** Appends messages to the newest page of a chat's cached history. */
export function appendMessages(
  data: InfiniteData<MessagePage> | undefined,
  messages: PendingMessage[],
): InfiniteData<MessagePage> {
  if (!data || data.pages.length === 0) {
    return { pages: [{ items: messages, nextCursor: null }], pageParams: [undefined] }
  }
  const [newest, ...older] = data.pages
  return { ...data, pages: [{ ...newest!, items: [...newest!.items, ...messages] }, ...older] }
}

/** Replaces the message with id `id` in a chat's cached history (other messages keep their identity). */
export function updateMessage(
  queryClient: QueryClient,
  chatId: number,
  id: number,
  change: (m: PendingMessage) => PendingMessage | null,
) {
  queryClient.setQueryData<InfiniteData<MessagePage>>(queryKeys.messages(chatId), (data) =>
    data && {
      ...data,
      pages: data.pages.map((page) =>
        page.items.some((m) => m.id === id)
          ? { ...page, items: page.items.flatMap((m) => (m.id === id ? (change(m) ?? []) : [m])) }
          : page,
      ),
    },
  )
}

/**
 * Applies a reply's stream to the cache: the text grows as deltas arrive (only that message changes, so the rest of
 * the conversation does not re-render), and the stored reply replaces it at the end.
 */
async function applyStream(queryClient: QueryClient, chatId: number, replyId: number, events: AsyncIterable<SseMessage>) {
  let text = ''
  for await (const { event, data } of events) {
    if (event === 'delta') {
      text += (JSON.parse(data) as { text: string }).text
      updateMessage(queryClient, chatId, replyId, (m) => ({ ...m, content: text }))
    } else if (event === 'done') {
      const done = JSON.parse(data) as DoneEvent
      updateMessage(queryClient, chatId, replyId, () => done.reply)
      if (done.userMessage) updateMessage(queryClient, chatId, done.userMessage.id, () => done.userMessage!)
      queryClient.setQueryData(queryKeys.usage, done.usage)
    } else if (event === 'error') {
      const problem = JSON.parse(data) as ErrorEvent
      updateMessage(queryClient, chatId, replyId, () => null)
      if (problem.messageId) updateMessage(queryClient, chatId, problem.messageId, (m) => ({ ...m, status: 'ReplyFailed' }))
      if (problem.usage) queryClient.setQueryData(queryKeys.usage, problem.usage)
    }
  }
}

/**
 * Sending with a streamed reply. The user's message shows at once; if the server refuses it (limit, validation)
 * it is rolled back and the error thrown, so the caller can put the text back in the composer.
 */
export function useStreamingSend() {
  const queryClient = useQueryClient()
  const [streaming, setStreaming] = useState<{ chatId: number; replyId?: number } | null>(null)
  const abort = useRef<AbortController | null>(null)

  useEffect(() => () => abort.current?.abort(), [])

  const send = useCallback(
    async (chatId: number, content: string) => {
      const key = queryKeys.messages(chatId)
      await queryClient.cancelQueries({ queryKey: key })
      const previous = queryClient.getQueryData<InfiniteData<MessagePage>>(key)
      const optimistic: PendingMessage = {
        id: nextTemporaryId--,
        chatId,
        role: 'User',
        content,
        status: 'Complete',
        createdAt: new Date().toISOString(),
        inputTokens: null,
        outputTokens: null,
        pending: true,
      }
      queryClient.setQueryData<InfiniteData<MessagePage>>(key, (data) => appendMessages(data, [optimistic]))
      setStreaming({ chatId })
      const controller = new AbortController()
      abort.current = controller
      try {
        const response = await authorizedFetch(`/api/chats/${chatId}/messages/stream`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          body: JSON.stringify({ content }),
          signal: controller.signal,
        })
        const events = readSse(response, controller.signal)
        const first = await events.next()
        if (first.done || first.value.event !== 'start') throw new Error('The reply stream ended before it started.')
        const start = JSON.parse(first.value.data) as StartEvent
        updateMessage(queryClient, chatId, optimistic.id, () => null)
        queryClient.setQueryData<InfiniteData<MessagePage>>(key, (data) => appendMessages(data, [start.userMessage, start.reply]))
        queryClient.setQueryData(queryKeys.usage, start.usage)
        setStreaming({ chatId, replyId: start.reply.id })
        await applyStream(queryClient, chatId, start.reply.id, events)
      } catch (error) {
        if (error instanceof ApiError) queryClient.setQueryData(key, previous)
        throw error
      } finally {
        setStreaming(null)
        abort.current = null
        void queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true })
        void queryClient.invalidateQueries({ queryKey: key })
      }
    },
    [queryClient],
  )

  return { send, streaming }
}

/** Attaches to a reply in progress (after a reload, or in a second tab) and follows it to the end. */
export async function follow(queryClient: QueryClient, chatId: number, replyId: number, signal: AbortSignal) {
  const response = await authorizedFetch(`/api/chats/${chatId}/messages/${replyId}/stream`, {
    headers: { Accept: 'text/event-stream' },
    signal,
  })
  await applyStream(queryClient, chatId, replyId, readSse(response, signal))
}

export async function stopReply(chatId: number, replyId: number) {
  await authorizedFetch(`/api/chats/${chatId}/messages/${replyId}/stop`, { method: 'POST' }).catch(() => {})
}
