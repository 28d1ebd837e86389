import { lazy } from 'react'
import { Navigate, useLocation } from 'react-router'
import { LoadingScreen } from '@/components/ui/loading-screen'
import { useAuth } from '@/lib/auth'

const SignedIn = lazy(() => import('../signed-in').then((m) => ({ default: m.SignedIn })))

export function RequireAuth() {
  const { status } = useAuth()
  const location = useLocation()
  if (status === 'restoring') {
    return <LoadingScreen label="Restoring your session" />
  }
  if (status === 'signed-out') return <Navigate to="/login" replace state={{ from: location.pathname }} />
  return <SignedIn />
}
