import { formatDate } from '@/lib/format'
import type { Billing } from '../api/get-billing'

/** Shown while a renewal payment has failed and the grace period runs. */
export function PastDueBanner({ billing, onUpdateCard, busy }: { billing: Billing; onUpdateCard: () => void; busy: boolean }) {
  if (billing.subscriptionStatus !== 'past_due' || !billing.graceEndsAt) return null
  return (
    <div role="alert" className="flex flex-wrap items-center justify-center gap-x-3 gap-y-1 bg-amber-100 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      <span>Your last payment failed. Update your card by {formatDate(billing.graceEndsAt)} to keep Premium.</span>
      <button type="button" disabled={busy} onClick={onUpdateCard} className="font-semibold underline underline-offset-2">
        Update card
      </button>
    </div>
  )
}
