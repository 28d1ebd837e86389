import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/problem'
import { useStorage } from '../api/get-storage'
import { formatBytes } from '../lib/format-bytes'

/** How much room the user's files take of what their plan allows, as a bar and in words. */
export function StorageSummary() {
  const storage = useStorage()
  if (storage.isPending) return <Spinner label="Loading your storage" className="mt-3" />
  if (storage.isError) return <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{errorMessage(storage.error)}</p>
  const { usedBytes, limitBytes } = storage.data
  const share = limitBytes > 0 ? Math.min(1, usedBytes / limitBytes) : 1
  return (
    <div data-testid="storage-summary">
      <p className="mt-1 text-sm">
        <span className="font-medium">{formatBytes(usedBytes)}</span> of {formatBytes(limitBytes)} used by your files
      </p>
      <div role="meter" aria-label="Storage used" aria-valuemin={0} aria-valuemax={limitBytes} aria-valuenow={usedBytes}
        className="mt-2 h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800">
        <div className={`h-full ${share > 0.9 ? 'bg-red-600' : 'bg-accent-600'}`} style={{ width: `${share * 100}%` }} />
      </div>
      <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">Deleting a chat frees the room its files take.</p>
    </div>
  )
}
