import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'

export type AdminUser = components['schemas']['AdminUserResponse']
export type AdminAction = components['schemas']['AdminActionResponse']

export function useAdminUsers(q: string) {
  return useInfiniteQuery({
    queryKey: ['admin', 'users', q],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/admin/users', { params: { query: { q: q || undefined, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
}

export function useAuditLog() {
  return useQuery({ queryKey: ['admin', 'audit'], queryFn: async () => (await unwrap(api.GET('/api/admin/audit'))).actions })
}

export type UserAction =
  | { kind: 'premium'; premium: boolean }
  | { kind: 'disabled'; disabled: boolean }
  | { kind: 'reset-usage' }

async function act(userId: string, action: UserAction) {
  const path = { params: { path: { userId } } }
  if (action.kind === 'premium') await unwrap(api.POST('/api/admin/users/{userId}/premium', { ...path, body: { premium: action.premium } }))
  else if (action.kind === 'disabled') await unwrap(api.POST('/api/admin/users/{userId}/disabled', { ...path, body: { disabled: action.disabled } }))
  else await unwrap(api.POST('/api/admin/users/{userId}/reset-usage', path))
}

/** An action on a user; the users table and the audit log are read again after it. */
export function useUserAction() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ userId, action }: { userId: string; action: UserAction }) => act(userId, action),
    onSettled: () => Promise.all([
      queryClient.invalidateQueries({ queryKey: ['admin', 'users'] }),
      queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] }),
    ]),
  })
}
