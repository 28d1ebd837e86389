import { useId, useState, type FormEvent } from 'react'
import { Link, useLocation, useNavigate } from 'react-router'
import { Button } from '@/components/ui/button'
import { inputClass } from '@/components/ui/input-class'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { confirmPasswordReset, tokenFromHash } from '@/features/auth/api/password-reset'
import { errorMessage, fieldErrors } from '@/lib/problem'
import { sessionStore } from '@/lib/session'

/** The page a reset mail links to: a new password, then the sign-in page (every session was signed out). */
export function ResetPasswordRoute() {
  const token = tokenFromHash(useLocation().hash)
  const navigate = useNavigate()
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()
  const errors = fieldErrors(error)
  const linkProblem = errors.token ?? (token ? null : 'This link is incomplete. Open the link from the mail again, or ask for a new one.')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await confirmPasswordReset(token, password)
      sessionStore.set(null) // this browser's session ended with the others
      navigate('/login', { replace: true, state: { notice: 'Your password was changed and every device signed out. Sign in with the new one.' } })
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthLayout title="Choose a new password" subtitle="Every device signed in to your account will be signed out.">
      {linkProblem ? (
        <div role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">
          <p>{linkProblem}</p>
          <Link to="/forgot-password" className="mt-1 inline-block font-medium underline">Ask for a new link</Link>
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-1.5 text-sm" noValidate>
          <label htmlFor={id} className="font-medium">New password</label>
          <input id={id} type="password" autoComplete="new-password" required minLength={8} value={password}
            onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(errors.newPassword)} aria-describedby={`${id}-hint`}
            className={inputClass(Boolean(errors.newPassword))} />
          <span id={`${id}-hint`} className={errors.newPassword ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}>
            {errors.newPassword ?? 'At least 8 characters, not easy to guess.'}
          </span>
          {error !== null && !errors.newPassword && !errors.token && <p role="alert" className="text-red-700 dark:text-red-400">{errorMessage(error)}</p>}
          <Button type="submit" disabled={busy || password.length < 8} className="mt-3 py-2.5">
            {busy ? 'Saving…' : 'Set new password'}
          </Button>
        </form>
      )}
    </AuthLayout>
  )
}
