import { api, unwrap } from '@/lib/api-client'

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export async function requestPasswordReset(email: string): Promise<void> {
  await unwrap(api.POST('/api/auth/password-reset', { body: { email } }))
}

/** Sets the new password with the link's token; every session is signed out. */
export async function confirmPasswordReset(token: string, newPassword: string): Promise<void> {
  await unwrap(api.POST('/api/auth/password-reset/confirm', { body: { token, newPassword } }))
}

/** Whether this server can mail a reset link. */
export async function getAuthFeatures(): Promise<{ passwordReset: boolean }> {
  return unwrap(api.GET('/api/auth/features'))
}

/** The token a mailed link carries after "#token=" (a fragment: never sent to a server, never in a log). */
export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? ''
}
