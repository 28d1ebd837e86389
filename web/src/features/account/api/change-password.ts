import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { sessionsKey } from './list-sessions'

export interface ChangePassword {
  currentPassword: string
  newPassword: string
}

/** Changes the password; the server signs out every other session. */
export async function changePassword(body: ChangePassword): Promise<void> {
  await unwrap(api.POST('/api/account/password', { body }))
}

export function useChangePassword() {
  const queryClient = useQueryClient()
  return useMutation({ mutationFn: changePassword, onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsKey }) })
}
