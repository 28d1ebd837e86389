import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'

export function retryReply(chatId: number, messageId: number) {
  return unwrap(
    api.POST('/api/chats/{chatId}/messages/{messageId}/retry', { params: { path: { chatId, messageId } } }),
  )
}

export function useRetryReply() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ chatId, messageId }: { chatId: number; messageId: number }) => retryReply(chatId, messageId),
    onSuccess: (result) => queryClient.setQueryData(queryKeys.usage, result.usage),
    onSettled: (_data, _error, { chatId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.messages(chatId) })
      void queryClient.invalidateQueries({ queryKey: queryKeys.usage })
    },
  })
}
