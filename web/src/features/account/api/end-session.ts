import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { ApiError, toProblem } from '@/lib/problem'
import { sessionsKey } from './list-sessions'

/** Signs out one session; one that had ended already is not an error. */
export async function endSession(sessionId: string): Promise<void> {
  const { error, response } = await api.DELETE('/api/account/sessions/{sessionId}', { params: { path: { sessionId } } })
  if (!response.ok && response.status !== 404) throw new ApiError(response.status, toProblem(response.status, error))
}

export async function signOutOthers(): Promise<number> {
  return (await unwrap(api.POST('/api/account/sessions/sign-out-others'))).signedOut
}

export function useEndSession() {
  const queryClient = useQueryClient()
  return useMutation({ mutationFn: endSession, onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsKey }) })
}

export function useSignOutOthers() {
  const queryClient = useQueryClient()
  return useMutation({ mutationFn: signOutOthers, onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsKey }) })
}
