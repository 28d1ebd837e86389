import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'
import type { Chat } from './types'

export function createChat(title?: string): Promise<Chat> {
  return unwrap(api.POST('/api/chats', { body: { title: title ?? null } }))
}

export function useCreateChat() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (title?: string) => createChat(title),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true }),
  })
}
