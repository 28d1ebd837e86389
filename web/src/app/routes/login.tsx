import { useState } from 'react'
import { Navigate, useLocation, useNavigate } from 'react-router'
import { AuthForm } from '@/features/auth/components/auth-form'
import { useAuth } from '@/lib/auth'
import { takeNotice } from '@/lib/notice'

export function LoginRoute() {
  const { status, signIn } = useAuth()
  const navigate = useNavigate()
  const state = useLocation().state as { from?: string; notice?: string } | null
  const [left] = useState(takeNotice)
  const from = state?.from ?? '/'
  if (status === 'signed-in') return <Navigate to={from} replace />
  return <AuthForm mode="login" notice={state?.notice ?? left ?? undefined} onSubmit={async (email, password) => (await signIn(email, password), navigate(from, { replace: true }))} />
}
