import { memo, useState, type MouseEvent, type ReactNode } from 'react'
import { Avatar } from '@/components/ui/avatar'
import { IconButton, icons } from '@/components/ui/icon-button'
import { useSignedInUser } from '@/lib/auth'
import { formatFullTime, formatMessageTime } from '@/lib/format'
import type { Rating } from '../api/rate-reply'
import type { PendingMessage } from '../api/types'
import { closeMarkdown } from '../lib/close-markdown'
import { CopyButton } from './copy-button'
import { MarkdownMessage } from './markdown'

interface Actions {
  onRetry?: (message: PendingMessage) => void
  retrying?: boolean
  /** Show another version of this message (a sibling from an edit or a regeneration). */
  onSwitch?: (messageId: number) => void
  /** Send an edited copy of a user message with the files it keeps: a new branch from there. False when it did not go. */
  onEdit?: (message: PendingMessage, content: string, keepFiles: string[]) => Promise<boolean>
  /** Ask for another reply (only offered on the last reply). */
  onRegenerate?: (message: PendingMessage) => void
  /** Write on from a stopped or interrupted reply's text (only offered on the last reply). */
  onContinue?: (message: PendingMessage) => void
  /** Thumbs up or down on a reply; the same rating again takes it back (null). */
  onRate?: (message: PendingMessage, rating: Rating | null) => void
  /** The newest message: its actions stay in view (the others show theirs on hover or focus). */
  latest?: boolean
  /** Shows the files sent with a user message (the attachments feature draws them), or those an edit keeps. */
  renderFiles?: (message: PendingMessage, editing?: FilesEdit) => ReactNode
}

/** While a message is edited: the ids of its files the edit keeps, and taking one out. */
export interface FilesEdit {
  kept: string[]
  onRemove: (id: string) => void
}

export const MessageBubble = memo(function MessageBubble({ message, ...actions }: { message: PendingMessage } & Actions) {
  return message.role === 'Assistant' ? <AssistantMessage message={message} {...actions} /> : <UserMessage message={message} {...actions} />
})

function AssistantMessage({ message, onSwitch, onRegenerate, onContinue, onRate, latest }: { message: PendingMessage } & Actions) {
  const streaming = message.status === 'Streaming'
  const cutShort = (message.status === 'Stopped' || message.status === 'Interrupted') && message.content !== ''
  const shown = message.status === 'Complete' ? message.content : closeMarkdown(message.content)
  const rating = message.feedback ?? null
  const rate = (r: Rating) => onRate?.(message, rating === r ? null : r)
  const [timeShown, tapped] = useTapForTime()
  return (
    <article data-testid="message" data-role="assistant" data-message-id={message.id} className="group flex gap-3" onClick={tapped}>
      <div aria-hidden className="mt-0.5 grid size-7 shrink-0 place-items-center rounded-full bg-accent-600 text-xs font-semibold text-white">
        P
      </div>
      <div className="min-w-0 flex-1 pt-0.5" aria-busy={streaming}>
        {streaming && message.content === '' ? (
          <span data-testid="typing" role="status" className="flex gap-1 pt-2 text-zinc-500 dark:text-zinc-400" aria-label="Parley is replying">
            <span className="typing-dot size-1.5 rounded-full bg-current" />
            <span className="typing-dot size-1.5 rounded-full bg-current" />
            <span className="typing-dot size-1.5 rounded-full bg-current" />
          </span>
        ) : (
          <MarkdownMessage text={shown} />
        )}
        {message.status === 'Stopped' && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">Stopped</p>}
        {message.status === 'Failed' && <p className="mt-1 text-xs text-red-700 dark:text-red-400">The reply was cut off by an error.</p>}
        {message.status === 'Interrupted' && (
          <p data-testid="interrupted" className="mt-1 text-xs text-amber-800 dark:text-amber-300">
            {message.content === ''
              ? 'Interrupted before it began: the server restarted. This message was not counted.'
              : 'Interrupted: the server restarted while writing this. The text so far is kept.'}
          </p>
        )}
        {!streaming && (
          <ActionRow message={message} latest={latest} timeShown={timeShown}>
            <SiblingNav message={message} onSwitch={onSwitch} />
            {message.content !== '' && <CopyButton text={message.content} />}
            {onRate && message.content !== '' && (
              <>
                <IconButton label="Good reply" pressed={rating === 'Up'} onClick={() => rate('Up')}>
                  {icons.thumbUp}
                </IconButton>
                <IconButton label="Bad reply" pressed={rating === 'Down'} onClick={() => rate('Down')}>
                  {icons.thumbDown}
                </IconButton>
              </>
            )}
            {onContinue && cutShort && (
              <IconButton label="Continue" tooltip="Continue writing" onClick={() => onContinue(message)}>
                {icons.continue}
              </IconButton>
            )}
            {onRegenerate && (
              <IconButton label="Regenerate" tooltip="Regenerate reply" onClick={() => onRegenerate(message)}>
                {icons.regenerate}
              </IconButton>
            )}
          </ActionRow>
        )}
      </div>
    </article>
  )
}

/**
 * A message's actions and its time. With a mouse they show on hover or keyboard focus (always for the newest message);
 * on a touch screen they are always there, and the time shows once the message is tapped.
 */
function ActionRow({ message, latest, timeShown, align = 'start', children }: {
  message: PendingMessage
  latest?: boolean
  timeShown: boolean
  align?: 'start' | 'end'
  children: ReactNode
}) {
  const hover = latest ? '' : 'pointer-fine:opacity-0 pointer-fine:group-hover:opacity-100 pointer-fine:group-focus-within:opacity-100'
  return (
    <div
      data-testid="message-actions"
      className={`mt-1 flex min-h-8 items-center gap-0.5 text-xs text-zinc-600 transition-opacity dark:text-zinc-400 ${hover} ${align === 'end' ? 'justify-end' : '-ml-1.5'}`}
    >
      {children}
      <time
        dateTime={message.createdAt}
        title={formatFullTime(message.createdAt)}
        className={`mx-1.5 tabular-nums ${timeShown ? '' : 'pointer-coarse:hidden'}`}
      >
        {formatMessageTime(message.createdAt)}
      </time>
    </div>
  )
}

/** A tap on the message itself (not on a button, a link, or text being selected) shows or hides its time. */
function useTapForTime() {
  const [timeShown, setTimeShown] = useState(false)
  const onClick = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as HTMLElement).closest('button, a, textarea, input') || window.getSelection()?.toString()) return
    setTimeShown((v) => !v)
  }
  return [timeShown, onClick] as const
}

function UserMessage({ message, onRetry, retrying, onSwitch, onEdit, latest, renderFiles }: { message: PendingMessage } & Actions) {
  const [editing, setEditing] = useState(false)
  const [timeShown, tapped] = useTapForTime()
  const [draft, setDraft] = useState(message.content)
  const files = (message.attachments ?? []).map((a) => a.id)
  const [kept, setKept] = useState(files)
  const failed = message.status === 'ReplyFailed'
  const startEditing = () => (setDraft(message.content), setKept(files), setEditing(true))
  const sendEdit = async () => {
    setEditing(false)
    // Refused (over the limit, a file the model can't see): the edit comes back as it was typed.
    if (onEdit && !(await onEdit(message, draft.trim(), kept))) setEditing(true)
  }

  if (editing && onEdit) {
    return (
      <article data-testid="message" data-role="user" data-message-id={message.id} className="flex flex-col items-end gap-2">
        {files.length > 0 && renderFiles?.(message, { kept, onRemove: (id) => setKept((k) => k.filter((x) => x !== id)) })}
        <textarea
          aria-label="Edit message"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          rows={Math.min(8, draft.split('\n').length + 1)}
          className="w-full max-w-[85%] resize-y rounded-2xl border border-accent-500 bg-white px-4 py-2.5 text-[15px] outline-none ring-2 ring-accent-500/20 dark:bg-zinc-900"
        />
        <div className="flex gap-2 text-sm">
          <button type="button" onClick={() => setEditing(false)} className="rounded-lg px-3 py-1.5 hover:bg-zinc-100 dark:hover:bg-zinc-800">
            Cancel
          </button>
          <button
            type="button"
            aria-label="Send edit"
            disabled={draft.trim() === '' && kept.length === 0}
            onClick={() => void sendEdit()}
            className="rounded-lg bg-accent-600 px-3 py-1.5 font-medium text-white hover:bg-accent-700 disabled:opacity-50"
          >
            Send
          </button>
        </div>
      </article>
    )
  }

  return (
    <article data-testid="message" data-role="user" data-message-id={message.id} className="group flex flex-col items-end" onClick={tapped}>
      {message.attachments?.length ? renderFiles?.(message) : null}
      {message.content !== '' && <div className="flex w-full items-end justify-end gap-2">
        <div
          className={`max-w-[85%] rounded-2xl rounded-br-md px-4 py-2.5 text-[15px] leading-relaxed whitespace-pre-wrap break-words ${
            failed ? 'bg-red-50 ring-1 ring-red-200 dark:bg-red-950/40 dark:ring-red-900' : 'bg-zinc-100 dark:bg-zinc-800'
          } ${message.pending ? 'opacity-70' : ''}`}
        >
          {message.content}
        </div>
        <MyAvatar />
      </div>}
      {!message.pending && (
        <ActionRow message={message} latest={latest} timeShown={timeShown} align="end">
          <SiblingNav message={message} onSwitch={onSwitch} />
          <CopyButton text={message.content} />
          {onEdit && (
            <IconButton label="Edit message" onClick={startEditing}>
              {icons.edit}
            </IconButton>
          )}
        </ActionRow>
      )}
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

/** The signed-in user's picture (or initial) beside their messages. */
function MyAvatar() {
  const user = useSignedInUser()
  return user ? <Avatar name={user.displayName ?? user.email} url={user.avatarUrl} size="sm" /> : null
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
      <button type="button" aria-label="Previous version" disabled={index === 0} onClick={() => go(index - 1)} className="grid size-8 place-items-center rounded-lg hover:bg-zinc-100 disabled:opacity-40 pointer-coarse:size-11 dark:hover:bg-zinc-800">
        ‹
      </button>
      <span>
        {index + 1} / {siblings.length}
      </span>
      <button type="button" aria-label="Next version" disabled={index === siblings.length - 1} onClick={() => go(index + 1)} className="grid size-8 place-items-center rounded-lg hover:bg-zinc-100 disabled:opacity-40 pointer-coarse:size-11 dark:hover:bg-zinc-800">
        ›
      </button>
    </span>
  )
}
