import { formatDate } from '@/lib/format'
import type { Billing } from '../api/get-billing'

/** "Premium · renews on 24 Dec 2026", "Premium until 24 Dec 2026", "Free". */
export function planSummary(billing: Billing): string {
  if (billing.plan !== 'Premium') return 'Free'
  if (!billing.currentPeriodEnd) return 'Premium'
  if (billing.subscriptionStatus === 'past_due') return 'Premium · payment failed'
  return billing.cancelAtPeriodEnd
    ? `Premium until ${formatDate(billing.currentPeriodEnd)}`
    : `Premium · renews on ${formatDate(billing.currentPeriodEnd)}`
}

export function PlanSummary({ billing }: { billing: Billing }) {
  return <span data-testid="plan-summary">{planSummary(billing)}</span>
}
