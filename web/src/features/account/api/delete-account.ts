import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'

export type SubscriptionEnding = 'Now' | 'AtPeriodEnd'

export interface DeleteAccount {
  password: string
  /** Required when the account has a paid subscription. */
  subscription?: SubscriptionEnding
}

/** Deletes the account; the server erases it and clears the session cookie. */
export async function deleteAccount(body: DeleteAccount): Promise<void> {
  await unwrap(api.POST('/api/account/delete', { body }))
}

export function useDeleteAccount() {
  return useMutation({ mutationFn: deleteAccount })
}
