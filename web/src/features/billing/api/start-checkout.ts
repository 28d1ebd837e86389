import { useMutation } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'

/** Starts Stripe Checkout for Premium; resolves to the URL to send the browser to. */
export async function startCheckout(returnPath: string): Promise<string> {
  return (await unwrap(api.POST('/api/billing/checkout', { body: { returnPath } }))).url
}

export function useStartCheckout() {
  return useMutation({
    mutationFn: async (returnPath: string) => window.location.assign(await startCheckout(returnPath)),
  })
}
