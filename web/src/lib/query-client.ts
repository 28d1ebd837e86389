import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './problem'

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // A 4xx will not fix itself; network blips and 5xx get two more tries.
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  })
}

/** Query keys shared between features (features do not import each other). */
export const queryKeys = {
  chats: ['chats'] as const,
  chat: (id: number) => ['chats', id] as const,
  messages: (chatId: number) => ['chats', chatId, 'messages'] as const,
  usage: ['usage'] as const,
  plans: ['plans'] as const,
  billing: ['billing'] as const,
}
