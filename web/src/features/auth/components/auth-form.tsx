import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { errorMessage, fieldErrors } from '@/lib/problem'
import { usePasswordStrength } from '../hooks/use-password-strength'

/** The sign-in and sign-up form; the caller decides what submitting does. */
export function AuthForm({
  mode,
  onSubmit,
}: {
  mode: 'login' | 'register'
  onSubmit: (email: string, password: string) => Promise<void>
}) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const fields = fieldErrors(error)
  const isRegister = mode === 'register'
  const strength = usePasswordStrength(password, email, isRegister)

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await onSubmit(email, password)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="grid min-h-full place-items-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3">
          <img src="/favicon.svg" alt="" className="size-11" />
          <h1 className="text-2xl font-semibold">{isRegister ? 'Create your account' : 'Welcome back'}</h1>
          <p className="text-sm text-zinc-500">{isRegister ? 'Start chatting with Parley in seconds.' : 'Sign in to continue to Parley.'}</p>
        </div>
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Email
            <input
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={Boolean(fields.email)}
              className="rounded-lg border border-zinc-300 bg-white px-3 py-2 font-normal outline-none focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 dark:border-zinc-700 dark:bg-zinc-900"
            />
            {fields.email && <span className="font-normal text-red-600">{fields.email}</span>}
          </label>
          <label className="flex flex-col gap-1.5 text-sm font-medium">
            Password
            <input
              type="password"
              autoComplete={isRegister ? 'new-password' : 'current-password'}
              required
              minLength={isRegister ? 8 : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={Boolean(fields.password)}
              className="rounded-lg border border-zinc-300 bg-white px-3 py-2 font-normal outline-none focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 dark:border-zinc-700 dark:bg-zinc-900"
            />
            {isRegister && !fields.password && (
              <span data-testid="password-hint" aria-live="polite" className={`font-normal ${strength?.weak ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}`}>
                {strength?.hint ?? 'At least 8 characters, not easy to guess.'}
              </span>
            )}
            {fields.password && <span className="font-normal text-red-600">{fields.password}</span>}
          </label>
          {error !== null && Object.keys(fields).length === 0 && (
            <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300">
              {errorMessage(error)}
            </p>
          )}
          <Button type="submit" disabled={busy} className="mt-2 py-2.5">
            {busy ? 'Please wait…' : isRegister ? 'Create account' : 'Sign in'}
          </Button>
        </form>
        <p className="mt-6 text-center text-sm text-zinc-500">
          {isRegister ? 'Already have an account? ' : 'New to Parley? '}
          <Link to={isRegister ? '/login' : '/register'} className="font-medium text-accent-600 hover:underline dark:text-accent-500">
            {isRegister ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </div>
    </main>
  )
}
