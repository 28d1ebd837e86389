import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { MessagePage, PendingMessage, SendMessageResponse } from './types'

export function sendMessage(chatId: number, content: string): Promise<SendMessageResponse> {
  return unwrap(api.POST('/api/chats/{chatId}/messages', { params: { path: { chatId } }, body: { content } }))
}

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

/**
 * Optimistic send: the message shows at once and is rolled back if the server refuses it (the caller puts the
 * text back in the composer). On success the stored messages replace the optimistic one.
 */
export function useSendMessage() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ chatId, content }: { chatId: number; content: string }) => sendMessage(chatId, content),
    onMutate: async ({ chatId, content }) => {
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
        pending: true,
      }
      queryClient.setQueryData<InfiniteData<MessagePage>>(key, (data) => appendMessages(data, [optimistic]))
      return { previous, key }
    },
    onError: (_error, _vars, context) => {
      if (context) queryClient.setQueryData(context.key, context.previous)
    },
    onSuccess: (result, _vars, context) => {
      queryClient.setQueryData<InfiniteData<MessagePage>>(context.key, (data) =>
        appendMessages(context.previous ?? data, [result.userMessage, result.reply]),
      )
      queryClient.setQueryData(queryKeys.usage, result.usage)
    },
    onSettled: (_data, _error, { chatId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages(chatId) })
      void queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true })
      void queryClient.invalidateQueries({ queryKey: queryKeys.usage })
    },
  })
}
