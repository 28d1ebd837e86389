import { useDeferredValue, useState } from 'react'
import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import { inputClass } from '@/components/ui/input-class'
import { toast } from '@/components/ui/toaster'
import { formatDate, formatFullTime, formatMessageTime } from '@/lib/format'
import { downloadCsv, toCsv } from '@/lib/csv'
import { errorMessage } from '@/lib/problem'
import { useAuth } from '@/lib/auth'
import { useAdminUsers, useUserAction, type AdminUser, type UserAction } from '../api/users'
import { PhoneLabel } from './data-table'

interface Pending {
  user: AdminUser
  action: UserAction
  title: string
  body: string
  confirm: string
}

function describe(user: AdminUser, action: UserAction): Pending {
  switch (action.kind) {
    case 'premium':
      return action.premium
        ? { user, action, title: 'Grant Premium', body: `${user.email} gets Premium's limits until you remove it. Nothing is charged.`, confirm: 'Grant Premium' }
        : { user, action, title: 'Remove Premium', body: `${user.email} goes back to the free plan, unless they pay for Premium themselves.`, confirm: 'Remove Premium' }
    case 'disabled':
      return action.disabled
        ? { user, action, title: 'Disable this account', body: `${user.email} is signed out everywhere at once and can't sign in until you enable the account again. Nothing is deleted.`, confirm: 'Disable' }
        : { user, action, title: 'Enable this account', body: `${user.email} can sign in again.`, confirm: 'Enable' }
    default:
      return { user, action, title: 'Reset usage', body: `Every message ${user.email} sent in their current window is given back (the record of what they sent is kept).`, confirm: 'Reset usage' }
  }
}

/** The users table: search by email, then grant or remove Premium, disable or enable, reset usage; each is logged. */
export function UsersView() {
  const [search, setSearch] = useState('')
  const q = useDeferredValue(search.trim())
  const users = useAdminUsers(q)
  const action = useUserAction()
  const [pending, setPending] = useState<Pending>()
  const me = useAuth().user?.id
  const rows = users.data?.pages.flatMap((p) => p.users) ?? []

  const confirm = () => {
    if (!pending) return
    const { user, action: what, confirm: label } = pending
    action.mutate({ userId: user.id, action: what }, {
      onSuccess: () => {
        toast(`${label}: done for ${user.email}.`)
        setPending(undefined)
      },
    })
  }

  return (
    <div>
      <div className="flex flex-wrap items-end gap-3">
        <label className="grow text-sm sm:max-w-sm">
          <span className="text-xs text-zinc-600 dark:text-zinc-400">Search by email</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name@example.com" className={`${inputClass(false)} mt-1`} />
        </label>
        <Button variant="secondary" disabled={rows.length === 0} onClick={() => downloadCsv('users.csv', toCsv(
          ['Email', 'Name', 'Plan', 'Premium granted', 'Admin', 'Disabled', 'Messages in window', 'Last active', 'Signed up'],
          rows.map((u) => [u.email, u.displayName, u.plan, u.premiumGranted, u.isAdmin, u.disabled, u.messagesUsed, u.lastActiveAt, u.signedUpAt]),
        ))}>
          Download CSV<span className="sr-only"> of the users shown</span>
        </Button>
      </div>

      {users.isError && (
        <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
          {errorMessage(users.error)} <button type="button" className="font-medium underline" onClick={() => users.refetch()}>Try again</button>
        </p>
      )}

      {/* On a phone each user is a card (the cells stacked, each saying what it is); from sm on, a table. */}
      <div className="relative mt-4 overflow-x-auto rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" tabIndex={0} role="region" aria-label="Users">
        <table role="table" className="w-full text-sm max-sm:block">
          <thead role="rowgroup" className="max-sm:hidden">
            <tr className="border-b border-zinc-200 text-left text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
              <th role="columnheader" scope="col" className="px-4 py-2 font-medium">User</th>
              <th role="columnheader" scope="col" className="px-4 py-2 font-medium">Plan</th>
              <th role="columnheader" scope="col" className="px-4 py-2 text-right font-medium whitespace-nowrap">Messages in window</th>
              <th role="columnheader" scope="col" className="px-4 py-2 font-medium whitespace-nowrap">Last active</th>
              <th role="columnheader" scope="col" className="px-4 py-2 font-medium whitespace-nowrap">Signed up</th>
              <th role="columnheader" scope="col" className="px-4 py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody role="rowgroup" className="max-sm:block">
            {users.isPending && Array.from({ length: 5 }, (_, i) => (
              <tr role="row" key={i}><td role="cell" colSpan={6} className="px-4 py-2"><Skeleton className="h-6" /></td></tr>
            ))}
            {rows.map((u) => (
              <tr role="row" key={u.id} data-testid="admin-user" className="border-b border-zinc-100 align-top last:border-0 max-sm:block max-sm:py-2 dark:border-zinc-800/60">
                <td role="cell" className="px-4 py-2 max-sm:block max-sm:py-0.5">
                  <span className="block max-w-64 truncate font-medium" title={u.email}>{u.email}</span>
                  <span className="flex flex-wrap gap-1 text-xs text-zinc-600 dark:text-zinc-400">
                    {u.displayName && <span>{u.displayName}</span>}
                    {u.isAdmin && <Badge>Admin</Badge>}
                    {u.disabled && <Badge tone="red">Disabled</Badge>}
                  </span>
                </td>
                <td role="cell" className="px-4 py-2 whitespace-nowrap max-sm:block max-sm:py-0.5"><PhoneLabel>Plan: </PhoneLabel>{u.plan}{u.premiumGranted && <span className="text-xs text-zinc-600 dark:text-zinc-400"> (granted)</span>}</td>
                <td role="cell" className="px-4 py-2 text-right tabular-nums max-sm:block max-sm:py-0.5 max-sm:text-left"><PhoneLabel>Messages in window: </PhoneLabel>{u.messagesUsed}</td>
                <td role="cell" className="px-4 py-2 whitespace-nowrap max-sm:block max-sm:py-0.5"><PhoneLabel>Last active: </PhoneLabel>{u.lastActiveAt ? <time dateTime={u.lastActiveAt} title={formatFullTime(u.lastActiveAt)}>{formatMessageTime(u.lastActiveAt)}</time> : 'Never'}</td>
                <td role="cell" className="px-4 py-2 whitespace-nowrap max-sm:block max-sm:py-0.5"><PhoneLabel>Signed up: </PhoneLabel>{formatDate(u.signedUpAt)}</td>
                <td role="cell" className="px-4 py-2 max-sm:block max-sm:px-2">
                  <div className="flex justify-end gap-1 whitespace-nowrap max-sm:flex-wrap max-sm:justify-start">
                    <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setPending(describe(u, { kind: 'premium', premium: !u.premiumGranted }))}>
                      {u.premiumGranted ? 'Remove Premium' : 'Grant Premium'}<span className="sr-only"> for {u.email}</span>
                    </Button>
                    <Button variant="ghost" className="px-2 py-1 text-xs" onClick={() => setPending(describe(u, { kind: 'reset-usage' }))}>
                      Reset usage<span className="sr-only"> of {u.email}</span>
                    </Button>
                    {u.id !== me && (
                      <Button variant="ghost" className="px-2 py-1 text-xs text-red-700 dark:text-red-400" onClick={() => setPending(describe(u, { kind: 'disabled', disabled: !u.disabled }))}>
                        {u.disabled ? 'Enable' : 'Disable'}<span className="sr-only"> {u.email}</span>
                      </Button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
            {users.isSuccess && rows.length === 0 && (
              <tr role="row"><td role="cell" colSpan={6} className="px-4 py-6 text-center text-zinc-600 dark:text-zinc-400">{q ? `No user's email contains “${q}”.` : 'No users yet.'}</td></tr>
            )}
          </tbody>
        </table>
      </div>
      {users.hasNextPage && (
        <div className="mt-3 flex justify-center">
          <Button variant="secondary" disabled={users.isFetchingNextPage} onClick={() => users.fetchNextPage()}>
            {users.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </Button>
        </div>
      )}

      <Dialog open={!!pending} onClose={() => (setPending(undefined), action.reset())} title={pending?.title ?? ''} testId="admin-confirm">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{pending?.body}</p>
        {action.isError && <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{errorMessage(action.error)}</p>}
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => (setPending(undefined), action.reset())}>Cancel</Button>
          <Button variant={pending?.action.kind === 'disabled' && pending.action.disabled ? 'danger' : 'primary'} disabled={action.isPending} onClick={confirm}>
            {action.isPending ? 'Working…' : pending?.confirm}
          </Button>
        </div>
      </Dialog>
    </div>
  )
}

function Badge({ children, tone = 'zinc' }: { children: string; tone?: 'zinc' | 'red' }) {
  return (
    <span className={`rounded px-1.5 py-px text-[11px] font-medium ${tone === 'red' ? 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200' : 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300'}`}>
      {children}
    </span>
  )
}
