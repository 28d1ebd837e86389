import { useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { Spinner } from '@/components/ui/spinner'
import { toast } from '@/components/ui/toaster'
import { useBilling } from '@/features/billing/api/get-billing'

const GIVE_UP_AFTER_MS = 60_000

/** After Checkout: wait until Stripe's webhook has made the user Premium, then go back to where they were. */
export function BillingSuccessRoute() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const returnPath = safePath(params.get('return'))
  const billing = useBilling({ pollUntilPremium: true })
  const [slow, setSlow] = useState(false)

  useEffect(() => {
    const timer = setTimeout(() => setSlow(true), GIVE_UP_AFTER_MS)
    return () => clearTimeout(timer)
  }, [])

  useEffect(() => {
    if (billing.data?.plan !== 'Premium') return
    toast("You're Premium now. Thank you!", { tone: 'success' })
    navigate(returnPath, { replace: true })
  }, [billing.data?.plan, navigate, returnPath])

  return (
    <main className="grid h-full place-items-center p-6 text-center">
      <div className="max-w-sm">
        {slow ? (
          <>
            <h1 className="text-xl font-semibold">Still confirming your payment</h1>
            <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">
              Stripe has not confirmed it yet. You have not been charged twice; Premium will switch on as soon as the
              confirmation arrives.
            </p>
            <Link to={returnPath} className="mt-4 inline-block text-sm font-medium text-accent-600 hover:underline dark:text-accent-300">
              Back to Parley
            </Link>
          </>
        ) : (
          <>
            <Spinner label="Confirming your payment" className="size-6 text-accent-600" />
            <h1 className="mt-4 text-xl font-semibold">Confirming your payment…</h1>
            <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">This usually takes a few seconds. You'll be back in your chat right after.</p>
          </>
        )}
      </div>
    </main>
  )
}

function safePath(path: string | null): string {
  return path && path.startsWith('/') && !path.startsWith('//') ? path : '/'
}
