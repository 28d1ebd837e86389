import { Link, useParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { useTestPortal, useTestPortalAction } from '@/features/billing/api/test-mode'
import { formatDate } from '@/lib/format'
import { errorMessage } from '@/lib/problem'

/** Test mode's stand-in for Stripe's customer portal: cancel at period end, or resume. */
export function TestPortalRoute() {
  const { customerId = '' } = useParams()
  const portal = useTestPortal(customerId)
  const action = useTestPortalAction(customerId)
  const s = portal.data

  return (
    <main className="grid min-h-full place-items-center bg-zinc-50 px-4 py-10 dark:bg-zinc-900">
      <div className="w-full max-w-md overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-950">
        <p className="bg-amber-400 px-4 py-2 text-center text-sm font-semibold text-amber-950">Test mode, no real payment</p>
        <div className="p-6">
          <h1 className="text-lg font-semibold">Manage your subscription</h1>
          {portal.isError && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{errorMessage(portal.error)}</p>}
          {s && !s.subscriptionId && <p className="mt-3 text-sm text-zinc-500 dark:text-zinc-400">You have no subscription.</p>}
          {s?.subscriptionId && (
            <>
              <p data-testid="portal-status" className="mt-3 text-sm">
                Parley Premium ·{' '}
                {s.cancelAtPeriodEnd && s.currentPeriodEnd
                  ? `cancels on ${formatDate(s.currentPeriodEnd)}`
                  : s.currentPeriodEnd
                    ? `renews on ${formatDate(s.currentPeriodEnd)}`
                    : s.status}
              </p>
              <div className="mt-5">
                {s.cancelAtPeriodEnd ? (
                  <Button disabled={action.isPending} onClick={() => action.mutate('resume')}>
                    Resume subscription
                  </Button>
                ) : (
                  <Button variant="danger" disabled={action.isPending} onClick={() => action.mutate('cancel')}>
                    Cancel subscription
                  </Button>
                )}
              </div>
            </>
          )}
          {action.isError && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{errorMessage(action.error)}</p>}
          <Link to="/account" className="mt-6 inline-block text-sm font-medium text-accent-700 hover:underline dark:text-accent-300">
            ← Return to Parley
          </Link>
        </div>
      </div>
    </main>
  )
}
