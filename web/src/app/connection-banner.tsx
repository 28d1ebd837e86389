import { useQueryClient } from '@tanstack/react-query'
import { useSyncExternalStore } from 'react'
import { isUnavailable } from '@/lib/problem'
import { useOnline } from '@/lib/use-online'

type Connection = 'online' | 'offline' | 'reconnecting'

/**
 * Says when Parley can't be reached, and that it keeps trying: offline (the browser says so), or reconnecting (a
 * read failed because the server or its database is away and is being tried again). Gone as soon as a read works.
 */
export function ConnectionBanner() {
  const connection = useConnection()
  if (connection === 'online') return null
  return (
    <div
      role="status"
      data-testid="connection-banner"
      className="flex items-center justify-center gap-2 bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
    >
      <span aria-hidden className="size-2 animate-pulse rounded-full bg-current" />
      {connection === 'offline'
        ? "You're offline. Parley reconnects by itself when you're back; what you type stays in the box."
        : "Reconnecting… Parley can't reach its server just now and keeps trying."}
    </div>
  )
}

function useConnection(): Connection {
  const queryCache = useQueryClient().getQueryCache()
  const online = useOnline()
  const reconnecting = useSyncExternalStore(
    (notify) => queryCache.subscribe(notify),
    () => queryCache.getAll().some((q) => q.state.fetchFailureCount > 0 && isUnavailable(q.state.fetchFailureReason)),
  )
  if (!online) return 'offline'
  return reconnecting ? 'reconnecting' : 'online'
}
