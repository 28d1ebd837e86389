import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'
import { queryKeys } from '@/lib/query-client'

export type ModelChoice = components['schemas']['ModelChoiceResponse']

export const modelsKey = ['models'] as const

/** The models this server offers (none: nothing to choose) and the user's default. */
export function useModels() {
  return useQuery({ queryKey: modelsKey, queryFn: () => unwrap(api.GET('/api/models')), staleTime: 5 * 60_000 })
}

/** Chooses a chat's model (null: the user's default). */
export function useChooseModel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ chatId, model }: { chatId: number; model: string | null }) =>
      unwrap(api.PUT('/api/chats/{chatId}/model', { params: { path: { chatId } }, body: { model } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true }),
  })
}
