import { useId, useRef, useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { AuthLayout, Notice } from './auth-layout'
import { ApiError, ProblemType, errorMessage, fieldErrors } from '@/lib/problem'
import { usePasswordStrength } from '../hooks/use-password-strength'
import { validateAuth, type AuthFields } from '../lib/validate'

/**
 * The sign-in and sign-up form; the caller decides what submitting does. Fields are checked in the browser with the
 * server's rules (and the same password strength estimator) when they are left and on submit; each message sits
 * under its field and is tied to it (aria-describedby), and focus goes to the first field to fix. What the server
 * says about a field is shown there too; anything else above the button.
 */
export function AuthForm({
  mode,
  onSubmit,
  notice,
}: {
  mode: 'login' | 'register'
  onSubmit: (email: string, password: string) => Promise<void>
  /** Said above the form (the account was just deleted, the password reset). */
  notice?: string
}) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [touched, setTouched] = useState<{ email?: boolean; password?: boolean }>({})
  const [submitted, setSubmitted] = useState(false)
  const [serverError, setServerError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const isRegister = mode === 'register'
  const strength = usePasswordStrength(password, email, isRegister)
  const emailInput = useRef<HTMLInputElement>(null)
  const passwordInput = useRef<HTMLInputElement>(null)
  const ids = { email: useId(), password: useId(), hint: useId() }

  const local = validateAuth(mode, email, password, strength)
  const server = serverFields(serverError)
  const shown: AuthFields = {
    email: server.email ?? ((submitted || touched.email) ? local.email : undefined),
    password: server.password ?? ((submitted || touched.password) ? local.password : undefined),
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    setSubmitted(true)
    setServerError(null)
    if (local.email) return emailInput.current?.focus()
    if (local.password) return passwordInput.current?.focus()
    setBusy(true)
    try {
      await onSubmit(email.trim(), password)
    } catch (err) {
      setServerError(err)
      const fields = serverFields(err)
      if (fields.email) emailInput.current?.focus()
      else if (fields.password) passwordInput.current?.focus()
    } finally {
      setBusy(false)
    }
  }

  const general = serverError !== null && !server.email && !server.password
  const inputClass = (invalid: boolean) =>
    `rounded-lg border bg-white px-3 py-2 font-normal outline-none focus:ring-2 dark:bg-zinc-900 ${
      invalid
        ? 'border-red-600 focus:border-red-600 focus:ring-red-600/20 dark:border-red-400'
        : 'border-zinc-300 focus:border-accent-500 focus:ring-accent-500/20 dark:border-zinc-700'
    }`

  return (
    <AuthLayout title={isRegister ? 'Create your account' : 'Welcome back'}
      subtitle={isRegister ? 'Start chatting with Parley in seconds.' : 'Sign in to continue to Parley.'}>
        {notice && <Notice>{notice}</Notice>}
        <form onSubmit={submit} noValidate className="flex flex-col gap-4">
          <div className="flex flex-col gap-1.5 text-sm">
            <label htmlFor={`${ids.email}-input`} className="font-medium">
              Email
            </label>
            <input
              id={`${ids.email}-input`}
              ref={emailInput}
              type="email"
              autoComplete="email"
              inputMode="email"
              required
              value={email}
              onChange={(e) => {
                setEmail(e.target.value)
                if (server.email) setServerError(null)
              }}
              onBlur={() => email && setTouched((t) => ({ ...t, email: true }))}
              aria-invalid={Boolean(shown.email)}
              aria-describedby={shown.email ? ids.email : undefined}
              className={inputClass(Boolean(shown.email))}
            />
            {shown.email && (
              <span id={ids.email} data-testid="email-error" className="text-red-700 dark:text-red-400">
                {shown.email}
              </span>
            )}
          </div>
          <div className="flex flex-col gap-1.5 text-sm">
            <div className="flex items-baseline justify-between gap-3">
              <label htmlFor={`${ids.password}-input`} className="font-medium">
                Password
              </label>
              {!isRegister && (
                <Link to="/forgot-password" state={{ email }} className="text-accent-700 hover:underline dark:text-accent-300">
                  Forgot password?
                </Link>
              )}
            </div>
            <input
              id={`${ids.password}-input`}
              ref={passwordInput}
              type="password"
              autoComplete={isRegister ? 'new-password' : 'current-password'}
              required
              value={password}
              onChange={(e) => {
                setPassword(e.target.value)
                if (server.password) setServerError(null)
              }}
              onBlur={() => password && setTouched((t) => ({ ...t, password: true }))}
              aria-invalid={Boolean(shown.password)}
              aria-describedby={shown.password ? ids.password : isRegister ? ids.hint : undefined}
              className={inputClass(Boolean(shown.password))}
            />
            {shown.password ? (
              <span id={ids.password} data-testid="password-error" className="text-red-700 dark:text-red-400">
                {shown.password}
              </span>
            ) : (
              isRegister && (
                <span id={ids.hint} data-testid="password-hint" aria-live="polite" className={strength?.weak ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}>
                  {strength?.hint ?? 'At least 8 characters, not easy to guess.'}
                </span>
              )
            )}
          </div>
          {general && (
            <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">
              {errorMessage(serverError)}
            </p>
          )}
          <Button type="submit" disabled={busy} className="mt-2 py-2.5">
            {busy ? 'Please wait…' : isRegister ? 'Create account' : 'Sign in'}
          </Button>
        </form>
        <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
          {isRegister ? 'Already have an account? ' : 'New to Parley? '}
          <Link to={isRegister ? '/login' : '/register'} className="font-medium text-accent-700 hover:underline dark:text-accent-300">
            {isRegister ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
    </AuthLayout>
  )
}

/** The server's problem as field messages: its field errors, and an email already registered under the email. */
function serverFields(error: unknown): AuthFields {
  const fields = fieldErrors(error)
  if (error instanceof ApiError && error.is(ProblemType.emailTaken)) fields.email ??= error.message
  return { email: fields.email, password: fields.password }
}
