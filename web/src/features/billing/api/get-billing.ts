import { queryOptions, useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'
import { queryKeys } from '@/lib/query-client'

export type Billing = components['schemas']['BillingStatusResponse']

export function getBilling(): Promise<Billing> {
  return unwrap(api.GET('/api/billing'))
}

export const billingQueryOptions = () => queryOptions({ queryKey: queryKeys.billing, queryFn: getBilling })

export function useBilling(options: { pollUntilPremium?: boolean } = {}) {
  return useQuery({
    ...billingQueryOptions(),
    // The success page waits for the webhook: premium comes from Stripe's event, never from the redirect.
    refetchInterval: options.pollUntilPremium ? (q) => (q.state.data?.plan === 'Premium' ? false : 1_000) : undefined,
  })
}
