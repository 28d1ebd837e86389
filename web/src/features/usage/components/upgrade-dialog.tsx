import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { describeWindow, formatResetTime } from '@/lib/format'
import { usePlans } from '../api/get-plans'
import type { Usage } from '../api/get-usage'

/**
 * Shown when a send hits the limit (or from the meter): when more messages free up, and the plans.
 * The draft is untouched; it stays in the composer behind the dialog.
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
  return (
    <Dialog open={open} onClose={onClose} title={exhausted ? "You've reached your message limit" : 'Upgrade to Premium'} testId="upgrade-dialog">
      {exhausted && usage?.nextFreeAt && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Your next message frees up at <strong data-testid="reset-time">{formatResetTime(usage.nextFreeAt)}</strong>. Your
          message is still in the box, ready to send.
        </p>
      )}
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {plans.data?.plans.map((plan) => (
          <li
            key={plan.plan}
            className={`rounded-xl border p-4 ${plan.plan === 'Premium' ? 'border-accent-500 bg-accent-50/60 dark:bg-accent-500/10' : 'border-zinc-200 dark:border-zinc-800'}`}
          >
            <div className="flex items-baseline justify-between">
              <span className="font-semibold">{plan.name}</span>
              <span className="text-sm whitespace-nowrap text-zinc-500">{plan.price ?? 'Free'}</span>
            </div>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              {plan.messageLimit == null
                ? 'Unlimited messages'
                : `${plan.messageLimit} messages every ${describeWindow(plan.windowSeconds)}`}
            </p>
            {usage?.plan === plan.plan && <p className="mt-2 text-xs font-medium text-zinc-500">Your current plan</p>}
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
        <p role="alert" className="mt-4 text-sm text-red-600">
          {upgradeError}
        </p>
      )}
      <div className="mt-5 flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          {usage?.plan === 'Premium' ? 'Close' : 'Not now'}
        </Button>
        {usage?.plan !== 'Premium' && paymentsAvailable && (
          <Button onClick={onUpgrade} disabled={upgrading}>
            {upgrading ? 'Opening checkout…' : 'Upgrade to Premium'}
          </Button>
        )}
      </div>
    </Dialog>
  )
}
