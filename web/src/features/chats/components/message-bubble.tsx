import { memo, useState } from 'react'
import type { PendingMessage } from '../api/types'
import { MarkdownMessage } from './markdown'

interface Actions {
  onRetry?: (message: PendingMessage) => void
  retrying?: boolean
  /** Show another version of this message (a sibling from an edit or a regeneration). */
  onSwitch?: (messageId: number) => void
  /** Send an edited copy of a user message: a new branch from there. */
  onEdit?: (message: PendingMessage, content: string) => void
  /** Ask for another reply (only offered on the last reply). */
  onRegenerate?: (message: PendingMessage) => void
  /** Write on from a stopped or interrupted reply's text (only offered on the last reply). */
  onContinue?: (message: PendingMessage) => void
}

export const MessageBubble = memo(function MessageBubble({ message, ...actions }: { message: PendingMessage } & Actions) {
  return message.role === 'Assistant' ? <AssistantMessage message={message} {...actions} /> : <UserMessage message={message} {...actions} />
})

function AssistantMessage({ message, onSwitch, onRegenerate, onContinue }: { message: PendingMessage } & Actions) {
  const streaming = message.status === 'Streaming'
  const cutShort = (message.status === 'Stopped' || message.status === 'Interrupted') && message.content !== ''
  return (
    <article data-testid="message" data-role="assistant" className="group flex gap-3">
      <div aria-hidden className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-accent-600 text-xs font-semibold text-white">
        P
      </div>
      <div className="min-w-0 flex-1 pt-0.5" aria-busy={streaming}>
        {streaming && message.content === '' ? (
          <span data-testid="typing" className="flex gap-1 pt-2 text-zinc-400" aria-label="Parley is replying">
            <span className="typing-dot size-1.5 rounded-full bg-current" />
            <span className="typing-dot size-1.5 rounded-full bg-current" />
            <span className="typing-dot size-1.5 rounded-full bg-current" />
          </span>
        ) : (
          <MarkdownMessage text={message.content} />
        )}
        {message.status === 'Stopped' && <p className="mt-1 text-xs text-zinc-500">Stopped</p>}
        {message.status === 'Failed' && <p className="mt-1 text-xs text-red-600 dark:text-red-400">The reply was cut off by an error.</p>}
        {message.status === 'Interrupted' && (
          <p data-testid="interrupted" className="mt-1 text-xs text-amber-700 dark:text-amber-400">
            {message.content === ''
              ? 'Interrupted before it began: the server restarted. This message was not counted.'
              : 'Interrupted: the server restarted while writing this. The text so far is kept.'}
          </p>
        )}
        {!streaming && (
          <div className="mt-1 flex items-center gap-2 text-xs text-zinc-500">
            <SiblingNav message={message} onSwitch={onSwitch} />
            {onContinue && cutShort && (
              <button type="button" onClick={() => onContinue(message)} className="rounded px-1.5 py-0.5 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
                Continue
              </button>
            )}
            {onRegenerate && (
              <button type="button" onClick={() => onRegenerate(message)} className="rounded px-1.5 py-0.5 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
                Regenerate
              </button>
            )}
          </div>
        )}
      </div>
    </article>
  )
}

function UserMessage({ message, onRetry, retrying, onSwitch, onEdit }: { message: PendingMessage } & Actions) {
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(message.content)
  const failed = message.status === 'ReplyFailed'

  if (editing && onEdit) {
    return (
      <article data-testid="message" data-role="user" className="flex flex-col items-end gap-2">
        <textarea
          aria-label="Edit message"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          rows={Math.min(8, draft.split('\n').length + 1)}
          className="w-full max-w-[85%] resize-y rounded-2xl border border-accent-500 bg-white px-4 py-2.5 text-[15px] outline-none ring-2 ring-accent-500/20 dark:bg-zinc-900"
        />
        <div className="flex gap-2 text-sm">
          <button type="button" onClick={() => (setEditing(false), setDraft(message.content))} className="rounded-lg px-3 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Cancel
          </button>
          <button
            type="button"
            aria-label="Send edit"
            disabled={draft.trim() === ''}
            onClick={() => (setEditing(false), onEdit(message, draft.trim()))}
            className="rounded-lg bg-accent-600 px-3 py-1.5 font-medium text-white hover:bg-accent-700 disabled:opacity-50"
          >
            Send
          </button>
        </div>
      </article>
    )
  }

  return (
    <article data-testid="message" data-role="user" className="group flex flex-col items-end gap-1">
      <div
        className={`max-w-[85%] rounded-2xl rounded-br-md px-4 py-2.5 text-[15px] leading-relaxed whitespace-pre-wrap break-words ${
          failed ? 'bg-red-50 ring-1 ring-red-200 dark:bg-red-950/40 dark:ring-red-900' : 'bg-zinc-100 dark:bg-zinc-800'
        } ${message.pending ? 'opacity-70' : ''}`}
      >
        {message.content}
      </div>
      <div className="flex items-center gap-2 text-xs text-zinc-500">
        <SiblingNav message={message} onSwitch={onSwitch} />
        {onEdit && !message.pending && (
          <button type="button" aria-label="Edit message" onClick={() => setEditing(true)} className="rounded px-1.5 py-0.5 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
            Edit
          </button>
        )}
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
}

/** "‹ 2 / 3 ›" between the versions of a message. */
function SiblingNav({ message, onSwitch }: { message: PendingMessage; onSwitch?: (id: number) => void }) {
  const siblings = message.siblings ?? []
  const index = siblings.indexOf(message.id)
  if (!onSwitch || siblings.length < 2 || index < 0) return null
  const go = (i: number) => {
    const id = siblings[i]
    if (id !== undefined) onSwitch(id)
  }
  return (
    <span data-testid="sibling-nav" className="flex items-center gap-0.5 tabular-nums">
      <button type="button" aria-label="Previous version" disabled={index === 0} onClick={() => go(index - 1)} className="rounded px-1 hover:bg-zinc-100 disabled:opacity-30 dark:hover:bg-zinc-800">
        ‹
      </button>
      <span>
        {index + 1} / {siblings.length}
      </span>
      <button type="button" aria-label="Next version" disabled={index === siblings.length - 1} onClick={() => go(index + 1)} className="rounded px-1 hover:bg-zinc-100 disabled:opacity-30 dark:hover:bg-zinc-800">
        ›
      </button>
    </span>
  )
}
