import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'

/** The built-in test mode's stand-ins for Stripe's hosted Checkout and portal pages. */
export function useTestCheckout(sessionId: string) {
  return useQuery({
    queryKey: ['test-checkout', sessionId],
    queryFn: () => unwrap(api.GET('/api/billing/test-mode/checkout/{sessionId}', { params: { path: { sessionId } } })),
  })
}

export function usePayTestCheckout() {
  return useMutation({
    mutationFn: async (sessionId: string) =>
      window.location.assign(
        (await unwrap(api.POST('/api/billing/test-mode/checkout/{sessionId}/pay', { params: { path: { sessionId } } }))).url,
      ),
  })
}

export function useTestPortal(customerId: string) {
  return useQuery({
    queryKey: ['test-portal', customerId],
    queryFn: () => unwrap(api.GET('/api/billing/test-mode/portal/{customerId}', { params: { path: { customerId } } })),
  })
}

export function useTestPortalAction(customerId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (action: 'cancel' | 'resume') =>
      unwrap(
        action === 'cancel'
          ? api.POST('/api/billing/test-mode/portal/{customerId}/cancel', { params: { path: { customerId } } })
          : api.POST('/api/billing/test-mode/portal/{customerId}/resume', { params: { path: { customerId } } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['test-portal', customerId] }),
  })
}
