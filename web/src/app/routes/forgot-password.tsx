import { useEffect, useId, useState, type FormEvent } from 'react'
import { Link, useLocation } from 'react-router'
import { Button } from '@/components/ui/button'
import { inputClass } from '@/components/ui/input-class'
import { AuthLayout, Notice } from '@/features/auth/components/auth-layout'
import { getAuthFeatures, requestPasswordReset } from '@/features/auth/api/password-reset'
import { errorMessage } from '@/lib/problem'

/** "Forgot password": asks for the address and says what happens next, the same whether or not it has an account. */
export function ForgotPasswordRoute() {
  const given = (useLocation().state as { email?: string } | null)?.email ?? ''
  const [email, setEmail] = useState(given)
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const [available, setAvailable] = useState(true)
  const id = useId()

  useEffect(() => {
    getAuthFeatures().then((f) => setAvailable(f.passwordReset), () => {}) // offline: asking says so
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await requestPasswordReset(email.trim())
      setSentTo(email.trim())
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthLayout title="Reset your password" subtitle="We'll mail you a link to choose a new one.">
      {!available ? (
        <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/60 dark:text-amber-100">
          This Parley server can't send mail, so passwords can't be reset by email here. Ask the person who runs it.
        </p>
      ) : sentTo ? (
        <Notice>
          If an account uses {sentTo}, a link is on its way. It works once, for 30 minutes. Not there in a few minutes? Check
          your spam folder, or ask again.
        </Notice>
      ) : null}
      {available && (
        <form onSubmit={submit} className="flex flex-col gap-4 text-sm" noValidate>
          <label htmlFor={id} className="font-medium">Email</label>
          <input id={id} type="email" autoComplete="email" inputMode="email" required value={email}
            onChange={(e) => setEmail(e.target.value)} className={`-mt-2.5 ${inputClass(false)}`} />
          {error !== null && <p role="alert" className="text-red-700 dark:text-red-400">{errorMessage(error)}</p>}
          <Button type="submit" disabled={busy || !email.trim()} className="py-2.5">
            {busy ? 'Sending…' : sentTo ? 'Send again' : 'Send the link'}
          </Button>
        </form>
      )}
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Remembered it? <Link to="/login" className="font-medium text-accent-700 hover:underline dark:text-accent-300">Sign in</Link>
      </p>
    </AuthLayout>
  )
}
