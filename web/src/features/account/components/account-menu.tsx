import { useCallback, useRef, useState } from 'react'
import { Avatar } from '@/components/ui/avatar'
import { useAuth } from '@/lib/auth'
import { useDismiss } from '@/lib/use-dismiss'
import { useProfile } from '../api/get-profile'

/** The signed-in user's menu: who they are (their name, else their email), their plan, upgrade, settings, sign out. */
export function AccountMenu({
  email,
  plan,
  onUpgrade,
  onAccount,
  onAdmin,
  onSignOut,
}: {
  email: string
  plan: string
  onUpgrade: () => void
  onAccount: () => void
  /** Shown to admins only. */
  onAdmin?: () => void
  onSignOut: () => void
}) {
  const [open, setOpen] = useState(false)
  const { user } = useAuth()
  const name = useProfile().data?.displayName ?? user?.displayName ?? email
  const root = useRef<HTMLDivElement>(null)

  useDismiss(root, open, useCallback(() => setOpen(false), []))

  return (
    <div ref={root} className="relative p-3">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full items-center gap-2 rounded-lg p-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-900"
      >
        <Avatar name={name} url={user?.avatarUrl} />
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium" title={email}>{name}</span>
          <span className="block text-xs text-zinc-500 dark:text-zinc-400">{plan} plan</span>
        </span>
      </button>
      {open && (
        <div role="menu" className="absolute right-3 bottom-full left-3 mb-1 rounded-xl border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          {plan !== 'Premium' && (
            <button type="button" role="menuitem" onClick={() => (setOpen(false), onUpgrade())} className="block w-full rounded-lg px-3 py-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
              Upgrade to Premium
            </button>
          )}
          <button type="button" role="menuitem" onClick={() => (setOpen(false), onAccount())} className="block w-full rounded-lg px-3 py-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Settings and billing
          </button>
          {user?.isAdmin && onAdmin && (
            <button type="button" role="menuitem" onClick={() => (setOpen(false), onAdmin())} className="block w-full rounded-lg px-3 py-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
              Admin
            </button>
          )}
          <button type="button" role="menuitem" onClick={() => (setOpen(false), onSignOut())} className="block w-full rounded-lg px-3 py-2 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Sign out
          </button>
        </div>
      )}
    </div>
  )
}
