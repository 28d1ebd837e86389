import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { formatFullTime } from '@/lib/format'
import { errorMessage } from '@/lib/problem'
import { useEndSession, useSignOutOthers } from '../api/end-session'
import { useSessions } from '../api/list-sessions'

/** Where the account is signed in: this device first, then the others by last activity, each with Sign out. */
export function SessionList() {
  const sessions = useSessions()
  const end = useEndSession()
  const others = useSignOutOthers()
  const list = sessions.data ?? []
  const error = end.error ?? others.error

  return (
    <div className="mt-6 text-sm">
      <h3 className="font-medium">Where you're signed in</h3>
      {sessions.isPending && <Spinner label="Loading your sessions" className="mt-3" />}
      {sessions.isError && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(sessions.error)}</p>}
      <ul aria-label="Signed-in devices" className="mt-2 divide-y divide-zinc-200 dark:divide-zinc-800">
        {list.map((s) => (
          <li key={s.id} data-testid="session" className="flex flex-wrap items-center justify-between gap-2 py-3">
            <div className="min-w-0">
              <p className="font-medium">
                {s.device}
                {s.current && <span className="ml-2 rounded-full bg-accent-50 px-2 py-0.5 text-xs text-accent-700 dark:bg-accent-700 dark:text-white">This device</span>}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                {s.ipAddress ? `${s.ipAddress} · ` : ''}
                {s.current ? 'active now' : <>active <time dateTime={s.lastActiveAt}>{formatFullTime(s.lastActiveAt)}</time></>}
              </p>
            </div>
            {!s.current && (
              <Button variant="secondary" disabled={end.isPending && end.variables === s.id} onClick={() => end.mutate(s.id)}
                aria-label={`Sign out ${s.device}`}>
                Sign out
              </Button>
            )}
          </li>
        ))}
      </ul>
      {list.length > 1 && (
        <Button variant="secondary" className="mt-2" disabled={others.isPending} onClick={() => others.mutate()}>
          Sign out every other device
        </Button>
      )}
      {error && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(error)}</p>}
    </div>
  )
}
