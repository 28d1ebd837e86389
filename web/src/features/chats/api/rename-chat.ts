import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { ChatPage } from './types'

export function renameChat(chatId: number, title: string) {
  return unwrap(api.PATCH('/api/chats/{chatId}', { params: { path: { chatId } }, body: { title } }))
}

export function useRenameChat() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ chatId, title }: { chatId: number; title: string }) => renameChat(chatId, title),
    onMutate: async ({ chatId, title }) => {
      await queryClient.cancelQueries({ queryKey: queryKeys.chats, exact: true })
      const previous = queryClient.getQueryData<InfiniteData<ChatPage>>(queryKeys.chats)
      queryClient.setQueryData<InfiniteData<ChatPage>>(queryKeys.chats, (data) =>
        data && {
          ...data,
          pages: data.pages.map((p) => ({ ...p, items: p.items.map((c) => (c.id === chatId ? { ...c, title } : c)) })),
        },
      )
      return { previous }
    },
    onError: (_error, _vars, context) => queryClient.setQueryData(queryKeys.chats, context?.previous),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true }),
  })
}
