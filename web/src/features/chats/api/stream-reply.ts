import { useQueryClient, type InfiniteData, type QueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { authorizedFetch } from '@/lib/api-client'
import { ApiError } from '@/lib/problem'
import { queryKeys } from '@/lib/query-client'
import { readSse, type SseMessage } from '@/lib/sse'
import type { Message, MessagePage, PendingMessage, StreamEvents } from './types'

let nextTemporaryId = -1

/** Appends messages to the newest page of a chat's cached history. */
export function appendMessages(
  data: InfiniteData<MessagePage> | undefined,
  messages: PendingMessage[],
): InfiniteData<MessagePage> {
  if (!data || data.pages.length === 0) {
    return { pages: [{ items: messages, nextCursor: null, onActiveBranch: true }], pageParams: [undefined] }
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
async function applyStream(
  queryClient: QueryClient,
  chatId: number,
  replyId: number,
  events: AsyncIterable<SseMessage>,
): Promise<StreamEvents['error'] | undefined> {
  let text = ''
  let failure: StreamEvents['error'] | undefined
  for await (const { event, data } of events) {
    if (event === 'delta') {
      text += (JSON.parse(data) as StreamEvents['delta']).text
      updateMessage(queryClient, chatId, replyId, (m) => ({ ...m, content: text }))
    } else if (event === 'done') {
      const done = JSON.parse(data) as StreamEvents['done']
      // The stored reply without its text, which the deltas were; if they add up to another length, read it again.
      const { length, ...stored } = done.reply
      updateMessage(queryClient, chatId, replyId, () => ({ ...stored, content: text }))
      if (text.length !== length) void queryClient.invalidateQueries({ queryKey: queryKeys.messages(chatId) })
      if (done.userMessage) updateMessage(queryClient, chatId, done.userMessage.id, () => done.userMessage!)
      queryClient.setQueryData(queryKeys.usage, done.usage)
    } else if (event === 'error') {
      const problem = JSON.parse(data) as StreamEvents['error']
      failure = problem
      if (problem.reply) {
        // Interrupted: the reply is kept as stored (its text so far), and can be regenerated.
        const kept = problem.reply
        updateMessage(queryClient, chatId, replyId, () => kept)
      } else {
        updateMessage(queryClient, chatId, replyId, () => null)
        if (problem.messageId) updateMessage(queryClient, chatId, problem.messageId, (m) => ({ ...m, status: 'ReplyFailed' }))
      }
      if (problem.usage) queryClient.setQueryData(queryKeys.usage, problem.usage)
    }
  }
  return failure
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

  /**
   * Starts a streamed reply: a send (`optimistic` is the text shown at once), a regeneration or an edit
   * (`dropFrom` is the first message of the old branch to take off the screen).
   */
  const run = useCallback(
    async (
      chatId: number,
      url: string,
      body: object | undefined,
      options: { optimistic?: string; optimisticFiles?: Message['attachments']; dropFrom?: number } = {},
    ) => {
      const key = queryKeys.messages(chatId)
      await queryClient.cancelQueries({ queryKey: key })
      const previous = queryClient.getQueryData<InfiniteData<MessagePage>>(key)
      const optimistic: PendingMessage | null = options.optimistic === undefined ? null : {
        id: nextTemporaryId--,
        chatId,
        parentId: null,
        role: 'User',
        content: options.optimistic,
        status: 'Complete',
        createdAt: new Date().toISOString(),
        inputTokens: null,
        outputTokens: null,
        siblings: [],
        attachments: options.optimisticFiles ?? null,
        pending: true,
      }
      if (optimistic) queryClient.setQueryData<InfiniteData<MessagePage>>(key, (data) => appendMessages(data, [optimistic]))
      setStreaming({ chatId })
      const controller = new AbortController()
      abort.current = controller
      let started = false
      try {
        const response = await authorizedFetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
        })
        const events = readSse(response, controller.signal)
        const first = await events.next()
        if (first.done || first.value.event !== 'start') throw new Error('The reply stream ended before it started.')
        const start = JSON.parse(first.value.data) as StreamEvents['start']
        started = true
        if (optimistic) updateMessage(queryClient, chatId, optimistic.id, () => null)
        if (options.dropFrom !== undefined) dropFrom(queryClient, chatId, options.dropFrom)
        const shown = flattenIds(queryClient.getQueryData<InfiniteData<MessagePage>>(key))
        // A continued reply is already on the screen: it grows in place.
        const added = [start.userMessage, start.reply].filter((m) => !shown.has(m.id))
        queryClient.setQueryData<InfiniteData<MessagePage>>(key, (data) => appendMessages(data, added))
        if (shown.has(start.reply.id)) updateMessage(queryClient, chatId, start.reply.id, () => start.reply)
        queryClient.setQueryData(queryKeys.usage, start.usage)
        setStreaming({ chatId, replyId: start.reply.id })
        return await applyStream(queryClient, chatId, start.reply.id, events)
      } catch (error) {
        // Once started, the message is stored and the reply goes on without this page: a lost connection, a reload
        // or leaving the chat is not a failed send. The history is read again below and the reply followed there.
        if (started) return undefined
        queryClient.setQueryData(key, previous)
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

  const send = useCallback(
    (chatId: number, content: string, files: NonNullable<Message['attachments']> = []) =>
      run(chatId, `/api/chats/${chatId}/messages/stream`, { content, attachmentIds: files.map((f) => f.id) }, { optimistic: content, optimisticFiles: files }),
    [run],
  )
  const regenerate = useCallback(
    (chatId: number, replyId: number) =>
      run(chatId, `/api/chats/${chatId}/messages/${replyId}/regenerate`, undefined, { dropFrom: replyId }),
    [run],
  )
  /** Writes on from a stopped or interrupted reply; a continuation that failed is thrown (the reply is as it was). */
  const continueReply = useCallback(
    async (chatId: number, replyId: number) => {
      const failure = await run(chatId, `/api/chats/${chatId}/messages/${replyId}/continue`, undefined)
      if (failure) throw new Error(failure.detail)
    },
    [run],
  )
  /** Sends an edited copy of a user message with the ids of its files to keep: a new branch from there. */
  const edit = useCallback(
    (chatId: number, messageId: number, content: string, keepFiles: string[]) =>
      run(chatId, `/api/chats/${chatId}/messages/${messageId}/edit`, { content, attachmentIds: keepFiles }, { dropFrom: messageId }),
    [run],
  )

  return { send, regenerate, continueReply, edit, streaming }
}

function flattenIds(data: InfiniteData<MessagePage> | undefined): Set<number> {
  return new Set(data?.pages.flatMap((p) => p.items.map((m) => m.id)) ?? [])
}

/** Takes a message and everything after it off the screen (the old branch, when a new one starts there). */
function dropFrom(queryClient: QueryClient, chatId: number, messageId: number) {
  queryClient.setQueryData<InfiniteData<MessagePage>>(queryKeys.messages(chatId), (data) => {
    if (!data) return data
    const ordered = [...data.pages].reverse().flatMap((p) => p.items)
    const index = ordered.findIndex((m) => m.id === messageId)
    if (index < 0) return data
    const keep = new Set(ordered.slice(0, index).map((m) => m.id))
    return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((m) => keep.has(m.id)) })) }
  })
}

export async function switchBranch(chatId: number, messageId: number) {
  await authorizedFetch(`/api/chats/${chatId}/branch`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ messageId }),
  })
}

/** Attaches to a reply in progress (after a reload, or in a second tab) and follows it to the end. */
export async function follow(queryClient: QueryClient, chatId: number, replyId: number, signal: AbortSignal) {
  const response = await authorizedFetch(`/api/chats/${chatId}/messages/${replyId}/stream`, {
    headers: { Accept: 'text/event-stream' },
    signal,
  })
  await applyStream(queryClient, chatId, replyId, readSse(response, signal))
}

/**
 * Asks the server to stop a reply (on whichever instance generates it). A 409 means it already ended, which is what
 * the user wanted; any other failure is thrown, so the screen can say the reply is still coming.
 */
export async function stopReply(chatId: number, replyId: number) {
  try {
    await authorizedFetch(`/api/chats/${chatId}/messages/${replyId}/stop`, { method: 'POST' })
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return
    throw error
  }
}
