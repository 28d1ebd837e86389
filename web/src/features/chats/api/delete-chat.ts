import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { ChatPage } from './types'

export function deleteChat(chatId: number) {
  return unwrap(api.DELETE('/api/chats/{chatId}', { params: { path: { chatId } } }))
}

export function useDeleteChat() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (chatId: number) => deleteChat(chatId),
    onMutate: async (chatId) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.chats, exact: true })
      const previous = queryClient.getQueryData<InfiniteData<ChatPage>>(queryKeys.chats)
      queryClient.setQueryData<InfiniteData<ChatPage>>(queryKeys.chats, (data) =>
        data && { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== chatId) })) },
      )
      return { previous }
    },
    onError: (_error, _chatId, context) => queryClient.setQueryData(queryKeys.chats, context?.previous),
    onSuccess: (_data, chatId) => queryClient.removeQueries({ queryKey: queryKeys.chat(chatId) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true }),
  })
}
