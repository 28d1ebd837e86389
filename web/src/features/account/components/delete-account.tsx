import { useId, useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { inputClass } from '@/components/ui/input-class'
import type { Billing } from '@/features/billing/api/get-billing'
import { formatDate } from '@/lib/format'
import { errorMessage, fieldErrors } from '@/lib/problem'
import { leaveNotice } from '@/lib/notice'
import { sessionStore } from '@/lib/session'
import { useDeleteAccount, type SubscriptionEnding } from '../api/delete-account'

/** A subscription Stripe still bills: the user chooses how it ends before the account goes. */
function hasPaidSubscription(billing: Billing | undefined) {
  return ['active', 'trialing', 'past_due', 'unpaid'].includes(billing?.subscriptionStatus ?? '')
}

/**
 * Delete account: a dialog that says exactly what is erased and what is kept, asks for the password and, with a paid
 * subscription, whether it ends now or at the end of the period. Afterwards this tab forgets the account (its drafts
 * too) and shows the sign-in page with a note.
 */
export function DeleteAccount({ billing }: { billing: Billing | undefined }) {
  const [open, setOpen] = useState(false)
  const [password, setPassword] = useState('')
  const [ending, setEnding] = useState<SubscriptionEnding | undefined>()
  const remove = useDeleteAccount()
  const id = useId()
  const paid = hasPaidSubscription(billing)
  const periodEnd = billing?.currentPeriodEnd && billing.subscriptionStatus !== 'past_due' ? billing.currentPeriodEnd : null
  const errors = fieldErrors(remove.error)
  const general = remove.isError && !errors.password && !errors.subscription ? errorMessage(remove.error) : null

  const close = () => {
    setOpen(false)
    setPassword('')
    setEnding(undefined)
    remove.reset()
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    remove.mutate({ password, subscription: paid ? ending : undefined }, {
      onSuccess: () => {
        sessionStorage.clear() // unsent drafts and their files' ids were this account's
        leaveNotice('Your account was deleted. Thank you for using Parley.')
        sessionStore.set(null) // the route guard takes this page to the sign-in page, which shows the note
      },
    })
  }

  return (
    <div className="mt-6 text-sm">
      <h3 className="font-medium">Delete account</h3>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        Erases your chats, messages, files and sign-ins for good. This can't be undone.
      </p>
      <Button variant="danger" className="mt-3" onClick={() => setOpen(true)}>
        Delete account…
      </Button>
      <Dialog open={open} onClose={close} title="Delete your account?" testId="delete-account-dialog">
        <form onSubmit={submit} className="grid gap-4 text-sm" noValidate>
          <div className="grid gap-2 text-zinc-700 dark:text-zinc-300">
            <p>This deletes, at once and for good:</p>
            <ul className="list-disc pl-5">
              <li>every chat and message, with every branch</li>
              <li>your files, your name and custom instructions</li>
              <li>your sign-ins on every device</li>
            </ul>
            <p>
              Records of usage and payments are kept for accounting, without your name or email. You can sign up again
              with the same email later, as a new account.
            </p>
          </div>
          {paid && (
            <fieldset className="grid gap-2" aria-describedby={errors.subscription ? `${id}-ending-error` : undefined}>
              <legend className="font-medium">Your Premium subscription</legend>
              <label className="flex items-start gap-2">
                <input type="radio" name="ending" value="Now" className="mt-1" checked={ending === 'Now'} onChange={() => setEnding('Now')} />
                <span>End it now: no more charges, and no refund for the rest of this period.</span>
              </label>
              {periodEnd && (
                <label className="flex items-start gap-2">
                  <input type="radio" name="ending" value="AtPeriodEnd" className="mt-1" checked={ending === 'AtPeriodEnd'}
                    onChange={() => setEnding('AtPeriodEnd')} />
                  <span>Don't renew it: it ends on {formatDate(periodEnd)} and you won't be charged again.</span>
                </label>
              )}
              {errors.subscription && <span id={`${id}-ending-error`} className="text-red-700 dark:text-red-400">{errors.subscription}</span>}
            </fieldset>
          )}
          <label className="grid gap-1">
            <span>Your password</span>
            <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)}
              aria-invalid={Boolean(errors.password)} aria-describedby={errors.password ? `${id}-password` : undefined}
              className={inputClass(Boolean(errors.password))} />
            {errors.password && <span id={`${id}-password`} className="text-red-700 dark:text-red-400">{errors.password}</span>}
          </label>
          {general && <p role="alert" className="text-red-700 dark:text-red-400">{general}</p>}
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="secondary" onClick={close}>Keep my account</Button>
            <Button type="submit" variant="danger" disabled={remove.isPending || !password || (paid && !ending)}>
              {remove.isPending ? 'Deleting…' : 'Delete my account'}
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  )
}
