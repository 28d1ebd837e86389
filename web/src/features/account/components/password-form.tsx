import { useId, useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { inputClass } from '@/components/ui/input-class'
import { errorMessage, fieldErrors } from '@/lib/problem'
import { useChangePassword } from '../api/change-password'

/** Change password: the current one first; on success every other device is signed out, as the form says. */
export function PasswordForm() {
  const change = useChangePassword()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [done, setDone] = useState(false)
  const id = useId()
  const errors = fieldErrors(change.error)
  const general = change.isError && !errors.currentPassword && !errors.newPassword ? errorMessage(change.error) : null

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setDone(false)
    change.mutate({ currentPassword: current, newPassword: next }, {
      onSuccess: () => (setCurrent(''), setNext(''), setDone(true)),
    })
  }

  return (
    <form onSubmit={submit} className="mt-6 grid gap-3 text-sm" aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} className="font-medium">Change password</h3>
      <label className="grid gap-1">
        <span>Current password</span>
        <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)}
          aria-invalid={Boolean(errors.currentPassword)} aria-describedby={errors.currentPassword ? `${id}-current` : undefined}
          className={inputClass(Boolean(errors.currentPassword))} />
        {errors.currentPassword && <span id={`${id}-current`} className="text-red-700 dark:text-red-400">{errors.currentPassword}</span>}
      </label>
      <label className="grid gap-1">
        <span>New password</span>
        <input type="password" autoComplete="new-password" required minLength={8} value={next} onChange={(e) => setNext(e.target.value)}
          aria-invalid={Boolean(errors.newPassword)} aria-describedby={`${id}-new`}
          className={inputClass(Boolean(errors.newPassword))} />
        <span id={`${id}-new`} className={errors.newPassword ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}>
          {errors.newPassword ?? 'At least 8 characters, not easy to guess. Your other devices will be signed out.'}
        </span>
      </label>
      {general && <p role="alert" className="text-red-700 dark:text-red-400">{general}</p>}
      {done && <p role="status" className="text-emerald-700 dark:text-emerald-400">Password changed. Every other device was signed out.</p>}
      <div>
        <Button type="submit" disabled={change.isPending || !current || !next}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </Button>
      </div>
    </form>
  )
}
