import { useParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { usePayTestCheckout, useTestCheckout } from '@/features/billing/api/test-mode'
import { errorMessage } from '@/lib/problem'

/** Test mode's stand-in for Stripe Checkout. Paying here sends the same signed events real Stripe would. */
export function TestCheckoutRoute() {
  const { sessionId = '' } = useParams()
  const checkout = useTestCheckout(sessionId)
  const pay = usePayTestCheckout()

  return (
    <main className="grid min-h-full place-items-center bg-zinc-50 px-4 py-10 dark:bg-zinc-900">
      <div className="w-full max-w-md overflow-hidden rounded-2xl border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-950">
        <p className="bg-amber-400 px-4 py-2 text-center text-sm font-semibold text-amber-950">Test mode, no real payment</p>
        <div className="p-6">
          <h1 className="text-lg font-semibold">Parley Premium</h1>
          {checkout.isError && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{errorMessage(checkout.error)}</p>}
          {checkout.data && (
            <>
              <p className="mt-1 text-3xl font-semibold">{checkout.data.priceLabel}</p>
              <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Unlimited messages. Cancel any time.</p>
              <dl className="mt-6 space-y-2 text-sm">
                <div className="flex justify-between gap-4">
                  <dt className="text-zinc-500 dark:text-zinc-400">Email</dt>
                  <dd className="min-w-0 truncate">{checkout.data.email}</dd>
                </div>
                <div className="flex justify-between gap-4">
                  <dt className="text-zinc-500 dark:text-zinc-400">Card</dt>
                  <dd className="font-mono">4242 4242 4242 4242</dd>
                </div>
              </dl>
              {checkout.data.status === 'open' ? (
                <Button className="mt-6 w-full py-2.5" disabled={pay.isPending} onClick={() => pay.mutate(sessionId)}>
                  {pay.isPending ? 'Processing…' : `Subscribe (test)`}
                </Button>
              ) : (
                <p className="mt-6 text-sm text-zinc-500 dark:text-zinc-400">This checkout is already complete.</p>
              )}
              {pay.isError && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{errorMessage(pay.error)}</p>}
              {checkout.data.cancelUrl && (
                <a href={checkout.data.cancelUrl} className="mt-3 block text-center text-sm text-zinc-500 dark:text-zinc-400 hover:underline">
                  Cancel and go back
                </a>
              )}
            </>
          )}
        </div>
      </div>
    </main>
  )
}
