import { useEffect, useRef, useState } from 'react'
import { Link, useLocation } from 'react-router'
import { Spinner } from '@/components/ui/spinner'
import { AuthLayout, Notice } from '@/features/auth/components/auth-layout'
import { tokenFromHash } from '@/features/auth/api/password-reset'
import { api, unwrap } from '@/lib/api-client'
import { errorMessage } from '@/lib/problem'
import { useAuth } from '@/lib/auth'
import { sessionStore } from '@/lib/session'

/** The page a confirmation mail links to: it confirms at once, signed in or not, and says which email is now the account's. */
export function ConfirmEmailRoute() {
  const token = tokenFromHash(useLocation().hash)
  const { status } = useAuth()
  const [email, setEmail] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(token ? null : new Error('This link is incomplete. Open the link from the mail again.'))
  const asked = useRef(false)

  useEffect(() => {
    if (!token || asked.current) return // once: the token is single-use
    asked.current = true
    unwrap(api.POST('/api/account/email/confirm', { body: { token } }))
      .then(async (r) => {
        setEmail(r.email)
        // The account signed in here may be the one that changed: a renewed session carries its email as it is now.
        if (sessionStore.session) await sessionStore.refresh()
      })
      .catch(setError)
  }, [token])

  return (
    <AuthLayout title="Confirm your email" subtitle="The address you sign in with.">
      {email ? (
        <Notice>Done: you now sign in with {email}.</Notice>
      ) : error ? (
        <p role="alert" className="mb-6 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">{errorMessage(error)}</p>
      ) : (
        <Spinner label="Confirming your email" />
      )}
      <p className="text-center text-sm">
        <Link to={status === 'signed-in' ? '/account' : '/login'} className="font-medium text-accent-700 hover:underline dark:text-accent-300">
          {status === 'signed-in' ? 'Back to your settings' : 'Sign in'}
        </Link>
      </p>
    </AuthLayout>
  )
}
