import { formatBytes } from '../lib/format-bytes'
import type { Attachment } from '../api/upload-attachment'

/** The files sent with a message: images as thumbnails that open full size, documents as downloads. */
export function MessageAttachments({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null
  return (
    <ul aria-label="Files" className="mb-1 flex max-w-[85%] flex-wrap justify-end gap-2">
      {attachments.map((a) => (
        <li key={a.id} data-testid="message-file">
          {a.kind === 'Image' && a.thumbnailUrl ? (
            <a href={a.url} target="_blank" rel="noopener noreferrer" className="block overflow-hidden rounded-xl ring-1 ring-zinc-200 dark:ring-zinc-700">
              <img src={a.thumbnailUrl} alt={a.fileName} width={a.width ?? undefined} height={a.height ?? undefined}
                className="max-h-48 w-auto max-w-full object-cover" style={{ aspectRatio: a.width && a.height ? `${a.width} / ${a.height}` : undefined }} />
            </a>
          ) : (
            <a href={`${a.url}&download=true`} download={a.fileName}
              className="flex items-center gap-2 rounded-xl border border-zinc-200 bg-white px-3 py-2 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800">
              <span aria-hidden>📄</span>
              <span className="max-w-48 truncate font-medium">{a.fileName}</span>
              <span className="text-xs text-zinc-600 dark:text-zinc-400">{formatBytes(a.size)}</span>
              <span className="sr-only">(download)</span>
            </a>
          )}
        </li>
      ))}
    </ul>
  )
}
