import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'

export async function openPortal(): Promise<string> {
  return (await unwrap(api.POST('/api/billing/portal'))).url
}

export function useOpenPortal() {
  return useMutation({ mutationFn: async () => window.location.assign(await openPortal()) })
}
