import { IconButton, icons } from '@/components/ui/icon-button'
import { formatBytes } from '../lib/format-bytes'
import type { DraftFile } from '../hooks/use-attachments'

/** The files of the message being written: a thumbnail or the name and size, progress while uploading, why one failed. */
export function AttachmentTray({ files, onRemove, notice }: { files: DraftFile[]; onRemove: (key: string) => void; notice?: string }) {
  if (files.length === 0) return null
  return (
    <>
    {notice && <p role="alert" className="px-2 pb-2 text-xs font-medium text-red-700 dark:text-red-400">{notice}</p>}
    <ul aria-label="Attached files" className="flex items-start gap-2 overflow-x-auto px-1 pb-2">
      {files.map((f) => (
        <li
          key={f.key}
          data-testid="draft-file"
          data-status={f.status}
          className={`relative flex w-48 shrink-0 items-center gap-2 rounded-xl border p-1.5 pr-9 text-xs pointer-coarse:pr-12 ${
            f.status === 'failed' ? 'border-red-300 bg-red-50 dark:border-red-900 dark:bg-red-950/40' : 'border-zinc-200 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-800'
          }`}
        >
          {f.isImage && f.preview ? (
            <img src={f.preview} alt="" className="size-10 shrink-0 rounded-lg object-cover" />
          ) : (
            <span aria-hidden className="grid size-10 shrink-0 place-items-center rounded-lg bg-zinc-200 font-semibold text-[10px] uppercase text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
              {extension(f.name)}
            </span>
          )}
          <span className="min-w-0 flex-1">
            <span className="block truncate font-medium" title={f.name}>{f.name}</span>
            {f.status === 'failed' ? (
              <span role="alert" title={f.error} className="line-clamp-2 text-red-700 dark:text-red-400">{firstSentence(f.error)}</span>
            ) : (
              <span className="block text-zinc-600 dark:text-zinc-400">{f.status === 'uploading' ? `Uploading… ${Math.round(f.progress * 100)}%` : formatBytes(f.size)}</span>
            )}
            {f.status === 'uploading' && (
              <span role="progressbar" aria-label={`Uploading ${f.name}`} aria-valuenow={Math.round(f.progress * 100)} aria-valuemin={0} aria-valuemax={100}
                className="mt-1 block h-1 overflow-hidden rounded bg-zinc-200 dark:bg-zinc-700">
                <span className="block h-full bg-accent-600 transition-[width]" style={{ width: `${Math.round(f.progress * 100)}%` }} />
              </span>
            )}
          </span>
          <span className="absolute top-0.5 right-0.5">
            <IconButton label={`Remove ${f.name}`} onClick={() => onRemove(f.key)} small>
              {icons.close}
            </IconButton>
          </span>
        </li>
      ))}
    </ul>
    </>
  )
}

// The chip has room for the gist; the whole message is its title.
function firstSentence(text = '') {
  const end = text.search(/[.!?]\s/)
  return end < 0 ? text : text.slice(0, end + 1)
}

function extension(name: string) {
  const dot = name.lastIndexOf('.')
  return dot > 0 && name.length - dot <= 5 ? name.slice(dot + 1) : 'file'
}
