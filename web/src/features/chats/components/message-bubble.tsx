import { memo } from 'react'
import type { PendingMessage } from '../api/types'
import { MarkdownMessage } from './markdown'

export const MessageBubble = memo(function MessageBubble({
  message,
  onRetry,
  retrying,
}: {
  message: PendingMessage
  onRetry?: (message: PendingMessage) => void
  retrying?: boolean
}) {
  if (message.role === 'Assistant') {
    return (
      <article data-testid="message" data-role="assistant" className="flex gap-3">
        <div aria-hidden className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-accent-600 text-xs font-semibold text-white">
          P
        </div>
        <div className="min-w-0 flex-1 pt-0.5" aria-busy={message.status === 'Streaming'}>
          {message.status === 'Streaming' && message.content === '' ? (
            <span data-testid="typing" className="flex gap-1 pt-2 text-zinc-400" aria-label="Parley is replying">
              <span className="typing-dot size-1.5 rounded-full bg-current" />
              <span className="typing-dot size-1.5 rounded-full bg-current" />
              <span className="typing-dot size-1.5 rounded-full bg-current" />
            </span>
          ) : (
            <MarkdownMessage text={message.content} />
          )}
          {message.status === 'Stopped' && <p className="mt-1 text-xs text-zinc-500">Stopped</p>}
          {message.status === 'Failed' && (
            <p className="mt-1 text-xs text-red-600 dark:text-red-400">The reply was cut off by an error.</p>
          )}
        </div>
      </article>
    )
  }

  const failed = message.status === 'ReplyFailed'
  return (
    <article data-testid="message" data-role="user" className="flex flex-col items-end gap-1">
      <div
        className={`max-w-[85%] rounded-2xl rounded-br-md px-4 py-2.5 text-[15px] leading-relaxed whitespace-pre-wrap break-words ${
          failed ? 'bg-red-50 ring-1 ring-red-200 dark:bg-red-950/40 dark:ring-red-900' : 'bg-zinc-100 dark:bg-zinc-800'
        } ${message.pending ? 'opacity-70' : ''}`}
      >
        {message.content}
      </div>
      {failed && (
        <div role="alert" className="flex items-center gap-2 text-xs text-red-700 dark:text-red-400">
          <span>The reply failed. This message was not counted.</span>
          {onRetry && (
            <button
              type="button"
              disabled={retrying}
              onClick={() => onRetry(message)}
              className="rounded-md px-2 py-0.5 font-medium underline underline-offset-2 hover:bg-red-100 disabled:opacity-50 dark:hover:bg-red-950"
            >
              {retrying ? 'Retrying…' : 'Retry'}
            </button>
          )}
        </div>
      )}
    </article>
  )
})
