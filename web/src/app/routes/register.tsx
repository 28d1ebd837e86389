import { Navigate, useNavigate } from 'react-router'
import { AuthForm } from '@/features/auth/components/auth-form'
import { useAuth } from '@/lib/auth'

export function RegisterRoute() {
  const { status, register } = useAuth()
  const navigate = useNavigate()
  if (status === 'signed-in') return <Navigate to="/" replace />
  return <AuthForm mode="register" onSubmit={async (email, password) => (await register(email, password), navigate('/', { replace: true }))} />
}
