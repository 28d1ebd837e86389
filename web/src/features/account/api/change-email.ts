import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'
import { sessionStore } from '@/lib/session'

export type EmailChange = components['schemas']['EmailResponse']

/** Asks to change the email: with mail, a link goes to the new address (pendingEmail); without, it changes at once. */
export async function changeEmail(body: { newEmail: string; password: string }): Promise<EmailChange> {
  const changed = await unwrap(api.POST('/api/account/email', { body }))
  if (!changed.pendingEmail) sessionStore.updateUser({ email: changed.email })
  return changed
}

export function useChangeEmail() {
  return useMutation({ mutationFn: changeEmail })
}
