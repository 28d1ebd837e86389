import type { Billing } from '../api/get-billing'

/** Every user is told when payments are in test mode: nothing is charged, and Premium here is not a real purchase. */
export function TestModeBanner({ billing }: { billing: Billing }) {
  if (!billing.testMode) return null
  return (
    <div role="status" data-testid="test-mode-banner" className="bg-sky-100 px-4 py-1.5 text-center text-xs text-sky-950 dark:bg-sky-950 dark:text-sky-100">
      Payments are in test mode: no card is charged.
    </div>
  )
}
