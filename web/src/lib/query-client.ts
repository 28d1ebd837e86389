import { QueryClient } from '@tanstack/react-query'
import { ApiError, isUnavailable } from './problem'

/**
 * Reads are tried again: while the server is unreachable (network, database away, a restart) for as long as it
 * takes, backing off to every 5 s, with the connection banner saying so; any other 5xx twice; a 4xx never.
 */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (isUnavailable(error)) return true
  return !(error instanceof ApiError && error.status < 500) && failures < 2
}

export const retryDelay = (failures: number) => Math.min(500 * 2 ** failures, 5_000)

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: shouldRetry,
        retryDelay,
        refetchOnWindowFocus: true,
      },
      // A mutation fails at once when offline (the screen says so and keeps the user's text) rather than waiting unseen.
      mutations: { retry: false, networkMode: 'always' },
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
  suggestions: ['suggestions'] as const,
}
