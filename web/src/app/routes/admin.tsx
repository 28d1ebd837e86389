import { Link, NavLink, Route, Routes } from 'react-router'
import { ConnectionBanner } from '@/app/connection-banner'
import { AuditView } from '@/features/admin/components/audit-view'
import { DashboardView } from '@/features/admin/components/dashboard-view'
import { UsersView } from '@/features/admin/components/users-view'
import { useAuth } from '@/lib/auth'

const tabs = [
  ['/admin', 'Dashboard'],
  ['/admin/users', 'Users'],
  ['/admin/audit', 'Audit log'],
] as const

/**
 * The operator's area: the dashboard, the users table and the audit log. Loaded on its own route, charts included,
 * so none of it is in the chat's download; the account menu shows the way in to admins only, and the API answers
 * 403 to anyone else whatever the page shows.
 */
export function AdminRoute() {
  const { user } = useAuth()
  if (!user?.isAdmin) {
    return (
      <main className="grid min-h-full place-items-center bg-zinc-50 p-6 dark:bg-zinc-950">
        <div className="max-w-sm text-center">
          <h1 className="text-xl font-semibold">This part of Parley is for its operators</h1>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Your account isn't an admin. If it should be, ask whoever runs this server.</p>
          <Link to="/" className="mt-4 inline-block text-sm font-medium text-accent-600 hover:underline dark:text-accent-300">Back to chats</Link>
        </div>
      </main>
    )
  }

  return (
    <main className="min-h-full bg-zinc-50 dark:bg-zinc-950">
      <ConnectionBanner />
      <div className="mx-auto max-w-6xl px-4 py-6">
        <Link to="/" className="text-sm text-accent-600 hover:underline dark:text-accent-300">← Back to chats</Link>
        <h1 className="mt-3 text-2xl font-semibold">Admin</h1>
        <nav aria-label="Admin" className="-mx-4 mt-3 overflow-x-auto border-b border-zinc-200 px-4 dark:border-zinc-800">
          <ul className="flex gap-1 text-sm whitespace-nowrap">
            {tabs.map(([to, label]) => (
              <li key={to}>
                <NavLink to={to} end className={({ isActive }) =>
                  `-mb-px block border-b-2 px-3 py-2 ${isActive ? 'border-accent-600 font-medium text-zinc-900 dark:border-accent-300 dark:text-zinc-100' : 'border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'}`}>
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="mt-6">
          <Routes>
            <Route index element={<DashboardView />} />
            <Route path="users" element={<UsersView />} />
            <Route path="audit" element={<AuditView />} />
          </Routes>
        </div>
      </div>
    </main>
  )
}
