import { Navigate, Outlet, useLocation } from 'react-router'
import { Spinner } from '@/components/ui/spinner'
import { useAuth } from '@/lib/auth'

export function RequireAuth() {
  const { status } = useAuth()
  const location = useLocation()
  if (status === 'restoring') {
    return (
      <div className="grid h-full place-items-center text-zinc-400">
        <Spinner label="Restoring your session" className="size-6" />
      </div>
    )
  }
  if (status === 'signed-out') return <Navigate to="/login" replace state={{ from: location.pathname }} />
  return <Outlet />
}
