import { Navigate, useLocation, useNavigate } from 'react-router'
import { AuthForm } from '@/features/auth/components/auth-form'
import { useAuth } from '@/lib/auth'

export function LoginRoute() {
  const { status, signIn } = useAuth()
  const navigate = useNavigate()
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/'
  if (status === 'signed-in') return <Navigate to={from} replace />
  return <AuthForm mode="login" onSubmit={async (email, password) => (await signIn(email, password), navigate(from, { replace: true }))} />
}
