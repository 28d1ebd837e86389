import { Button } from '@/components/ui/button'
import { formatBytes } from '@/features/attachments/lib/format-bytes'
import { formatDate, formatFullTime } from '@/lib/format'
import { errorMessage } from '@/lib/problem'
import { preparing, useExports, useStartExport } from '../api/exports'

/**
 * Export: a zip of everything (profile, every chat and branch, files, usage), prepared in the background; the page
 * can be left meanwhile. The newest export is shown with its download while it is kept (a week).
 */
export function ExportData() {
  const exports = useExports()
  const start = useStartExport()
  const latest = exports.data?.[0]
  const busy = preparing(latest) || start.isPending

  return (
    <div className="mt-3 text-sm">
      <h3 className="font-medium">Export your data</h3>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        A zip with your profile, every chat (each branch, as JSON, and as Markdown to read), your files and your usage.
      </p>
      <div aria-live="polite" className="mt-3">
        {busy ? (
          <p className="flex items-center gap-2 text-zinc-700 dark:text-zinc-300">
            <span aria-hidden className="inline-block size-4 shrink-0 animate-spin rounded-full border-2 border-current border-r-transparent" /> Preparing your export… You can leave this page: it will be here when it's ready.
          </p>
        ) : latest?.status === 'Ready' && latest.downloadUrl ? (
          <p data-testid="export-ready" className="text-zinc-700 dark:text-zinc-300">
            Ready <time dateTime={latest.readyAt ?? undefined}>{latest.readyAt && formatFullTime(latest.readyAt)}</time>
            {latest.size != null && ` · ${formatBytes(latest.size)}`}
            {latest.expiresAt && `, kept until ${formatDate(latest.expiresAt)}.`}{' '}
            <a href={latest.downloadUrl} download className="font-medium text-accent-700 underline dark:text-accent-300">
              Download
            </a>
          </p>
        ) : latest?.status === 'Failed' ? (
          <p role="alert" className="text-red-700 dark:text-red-400">Your last export could not be prepared. Try again.</p>
        ) : null}
      </div>
      {exports.isError && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(exports.error)}</p>}
      {start.isError && <p role="alert" className="mt-2 text-red-700 dark:text-red-400">{errorMessage(start.error)}</p>}
      <Button variant="secondary" className="mt-3" disabled={busy} onClick={() => start.mutate()}>
        {latest?.status === 'Ready' ? 'Export again' : 'Export my data'}
      </Button>
    </div>
  )
}
