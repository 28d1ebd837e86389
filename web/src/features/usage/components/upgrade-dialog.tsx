import { useEffect, useRef } from 'react'
import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { describeWindow, formatWhen } from '@/lib/format'
import { usePlans } from '../api/get-plans'
import type { Usage } from '../api/get-usage'
import { reportUpgradeDialog } from '../api/report-upgrade-dialog'

/**
 * Shown when a send hits the limit (or from the meter): when more messages free up, and the plans.
 * The draft is untouched; it stays in the composer behind the dialog. For the operator's funnel it reports being shown
 * to someone who could upgrade, and being closed without upgrading.
 */
export function UpgradeDialog({
  open,
  onClose,
  usage,
  onUpgrade,
  upgrading = false,
  paymentsAvailable = true,
  upgradeError,
}: {
  open: boolean
  onClose: () => void
  usage?: Usage
  onUpgrade: () => void
  upgrading?: boolean
  paymentsAvailable?: boolean
  upgradeError?: string
}) {
  const plans = usePlans()
  const exhausted = usage?.remaining === 0
  const wasOpen = useRef(false)
  const upgradeChosen = useRef(false)
  const couldUpgrade = usage?.plan !== 'Premium'
  useEffect(() => {
    if (open && !wasOpen.current) {
      upgradeChosen.current = false
      if (couldUpgrade) reportUpgradeDialog('Shown')
    } else if (!open && wasOpen.current && !upgradeChosen.current && couldUpgrade) {
      reportUpgradeDialog('Dismissed')
    }
    wasOpen.current = open
  }, [open, couldUpgrade])
  return (
    <Dialog open={open} onClose={onClose} title={exhausted ? "You've reached your message limit" : 'Upgrade to Premium'} testId="upgrade-dialog">
      {exhausted && usage?.nextFreeAt && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          One more message frees up <strong data-testid="reset-time">{formatWhen(usage.nextFreeAt)}</strong>. What you
          wrote is still in the box, ready to send.
        </p>
      )}
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {plans.data?.plans.map((plan) => (
          <li
            key={plan.plan}
            className={`rounded-xl border p-4 ${plan.plan === 'Premium' ? 'border-accent-500 bg-accent-50/60 dark:bg-accent-500/10' : 'border-zinc-200 dark:border-zinc-800'}`}
          >
            <p className="font-semibold">{plan.name}</p>
            <p className="mt-0.5 text-lg font-semibold tracking-tight">
              {plan.price ?? 'No charge'}
            </p>
            <ul className="mt-2 space-y-1 text-sm text-zinc-700 dark:text-zinc-300">
              <li className="flex gap-2">
                <Check />
                {plan.messageLimit == null ? 'Unlimited messages' : `${plan.messageLimit} messages every ${describeWindow(plan.windowSeconds)}`}
              </li>
              {plan.plan === 'Premium' && (
                <>
                  <li className="flex gap-2">
                    <Check />
                    Manage or cancel any time from your account
                  </li>
                </>
              )}
            </ul>
            {usage?.plan === plan.plan && <p className="mt-2 text-xs font-medium text-zinc-500 dark:text-zinc-400">Your current plan</p>}
          </li>
        ))}
      </ul>
      <p className="mt-4 text-xs text-zinc-600 dark:text-zinc-400">
        Every reply you ask for counts, including one you stop early; a reply the assistant fails to start is given back.
      </p>
      {!paymentsAvailable && usage?.plan !== 'Premium' && (
        <p className="mt-3 text-sm text-zinc-700 dark:text-zinc-300">Payments aren't set up on this server yet, so Premium can't be bought here.</p>
      )}
      {upgradeError && (
        <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
          {upgradeError}
        </p>
      )}
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          {usage?.plan === 'Premium' ? 'Close' : 'Not now'}
        </Button>
        {usage?.plan !== 'Premium' && paymentsAvailable && (
          <Button onClick={() => ((upgradeChosen.current = true), onUpgrade())} disabled={upgrading}>
            {upgrading ? 'Opening checkout…' : 'Upgrade to Premium'}
          </Button>
        )}
      </div>
    </Dialog>
  )
}

function Check() {
  return (
    <svg viewBox="0 0 20 20" className="mt-0.5 size-4 shrink-0 text-accent-600 dark:text-accent-300" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
      <path d="m4.5 10.5 3.5 3.5 7.5-8" />
    </svg>
  )
}
