import { useId, useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { inputClass } from '@/components/ui/input-class'
import { ApiError, ProblemType, errorMessage, fieldErrors } from '@/lib/problem'
import { useChangeEmail } from '../api/change-email'

/** Change the sign-in email: the password confirms it; where mail works, a link to the new address completes it. */
export function EmailForm({ current }: { current: string }) {
  const change = useChangeEmail()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const id = useId()
  const errors = fieldErrors(change.error)
  const taken = change.error instanceof ApiError && change.error.is(ProblemType.emailTaken) ? change.error.message : undefined
  const emailError = errors.newEmail ?? taken
  const general = change.isError && !emailError && !errors.password ? errorMessage(change.error) : null
  const done = change.data

  const submit = (e: FormEvent) => {
    e.preventDefault()
    change.mutate({ newEmail: email.trim(), password }, { onSuccess: () => (setEmail(''), setPassword('')) })
  }

  return (
    <form onSubmit={submit} className="mt-6 grid gap-3 text-sm" aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="font-medium">Email</h3>
      <p className="-mt-2 text-zinc-600 dark:text-zinc-400">You sign in with {current}.</p>
      <label className="grid gap-1">
        <span>New email</span>
        <input type="email" autoComplete="email" inputMode="email" required value={email} onChange={(e) => setEmail(e.target.value)}
          aria-invalid={Boolean(emailError)} aria-describedby={emailError ? `${id}-email` : undefined}
          className={inputClass(Boolean(emailError))} />
        {emailError && <span id={`${id}-email`} className="text-red-700 dark:text-red-400">{emailError}</span>}
      </label>
      <label className="grid gap-1">
        <span>Password</span>
        <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)}
          aria-invalid={Boolean(errors.password)} aria-describedby={errors.password ? `${id}-password` : undefined}
          className={inputClass(Boolean(errors.password))} />
        {errors.password && <span id={`${id}-password`} className="text-red-700 dark:text-red-400">{errors.password}</span>}
      </label>
      {general && <p role="alert" className="text-red-700 dark:text-red-400">{general}</p>}
      {done && (
        <p role="status" className="text-emerald-700 dark:text-emerald-400">
          {done.pendingEmail
            ? `We sent a link to ${done.pendingEmail}. Your email changes when you open it (within 24 hours).`
            : `Done: you now sign in with ${done.email}.`}
        </p>
      )}
      <div>
        <Button type="submit" disabled={change.isPending || !email.trim() || !password}>
          {change.isPending ? 'Changing…' : 'Change email'}
        </Button>
      </div>
    </form>
  )
}
