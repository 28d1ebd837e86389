import { IconButton, icons } from '@/components/ui/icon-button'
import { formatBytes } from '../lib/format-bytes'
import type { Attachment } from '../api/upload-attachment'

/**
 * The files sent with a message: images as thumbnails that open full size, documents as downloads. Given `onRemove`
 * (a message being edited), each has a button beside it that leaves it out of the edit.
 */
export function MessageAttachments({ attachments, onRemove }: { attachments: Attachment[]; onRemove?: (id: string) => void }) {
  if (attachments.length === 0) return null
  return (
    <ul aria-label={onRemove ? 'Files kept in the edit' : 'Files'} className="mb-1 flex max-w-[85%] flex-wrap justify-end gap-2">
      {attachments.map((a) => (
        <li key={a.id} data-testid="message-file" className="flex items-center gap-0.5">
          {a.kind === 'Image' && a.thumbnailUrl ? (
            <a href={a.url} target="_blank" rel="noopener noreferrer" className="block overflow-hidden rounded-xl ring-1 ring-zinc-200 dark:ring-zinc-700">
              <img src={a.thumbnailUrl} alt={a.fileName} width={a.width ?? undefined} height={a.height ?? undefined}
                className={`w-auto max-w-full object-cover ${onRemove ? 'max-h-24' : 'max-h-48'}`}
                style={{ aspectRatio: a.width && a.height ? `${a.width} / ${a.height}` : undefined }} />
            </a>
          ) : (
            <a href={`${a.url}&download=true`} download={a.fileName}
              className="flex items-center gap-2 rounded-xl border border-zinc-200 bg-white px-3 py-2 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
              <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" className="size-4 shrink-0 text-zinc-500 dark:text-zinc-400" aria-hidden>
                <path d="M5 2.5h6.5L15 6v11.5H5v-15Z M11.5 2.5V6H15 M7.5 10h5M7.5 13h5" />
              </svg>
              <span className="max-w-48 truncate font-medium">{a.fileName}</span>
              <span className="text-xs text-zinc-600 dark:text-zinc-400">{formatBytes(a.size)}</span>
              <span className="sr-only">(download)</span>
            </a>
          )}
          {onRemove && (
            <IconButton label={`Remove ${a.fileName} from the edit`} onClick={() => onRemove(a.id)} small>
              {icons.close}
            </IconButton>
          )}
        </li>
      ))}
    </ul>
  )
}
