import { useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react'
import { icons } from '@/components/ui/icon-button'
import { Spinner } from '@/components/ui/spinner'
import type { Rating } from '../api/rate-reply'
import type { PendingMessage } from '../api/types'
import { useHitHighlight } from '../hooks/use-hit-highlight'
import { MessageBubble, type FilesEdit } from './message-bubble'

/**
 * The conversation, newest at the bottom. Scrolling to the top loads older messages without moving what the user
 * is reading; new messages scroll into view only when the user is already at the bottom. Opened at a search hit,
 * it starts there, and scrolling down loads the newer messages after it.
 */
export function MessageList({
  messages,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  waitingForReply,
  onRetry,
  retryingId,
  onSwitch,
  onEdit,
  onRegenerate,
  onContinue,
  onRate,
  busy,
  renderFiles,
  hasNewer = false,
  loadingNewer = false,
  onLoadNewer,
  onToNewest,
  hit,
}: {
  messages: PendingMessage[]
  hasOlder: boolean
  loadingOlder: boolean
  onLoadOlder: () => void
  /** Opened around a message: newer messages are still to load below. */
  hasNewer?: boolean
  loadingNewer?: boolean
  onLoadNewer?: () => void
  /** Leaves the page around a hit for the newest messages. */
  onToNewest?: () => void
  /** The search hit the list was opened at. */
  hit?: { messageId: number; query: string | null; opened: string }
  waitingForReply: boolean
  onRetry: (message: PendingMessage) => void
  retryingId?: number
  onSwitch: (messageId: number) => void
  onEdit: (message: PendingMessage, content: string, keepFiles: string[]) => Promise<boolean>
  onRegenerate: (message: PendingMessage) => void
  onContinue: (message: PendingMessage) => void
  onRate: (message: PendingMessage, rating: Rating | null) => void
  /** Draws the files sent with a user message. */
  renderFiles?: (message: PendingMessage, editing?: FilesEdit) => ReactNode
  /** A reply is on its way: branching actions wait. */
  busy: boolean
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const topSentinel = useRef<HTMLDivElement>(null)
  const bottomSentinel = useRef<HTMLDivElement>(null)
  const previous = useRef({ first: undefined as number | undefined, height: 0 })
  // Far enough from the end that new text would not be seen: a button takes the user back down.
  const [awayFromEnd, setAwayFromEnd] = useState(false)

  function onScroll() {
    const el = scroller.current
    if (el) setAwayFromEnd(el.scrollHeight - el.scrollTop - el.clientHeight > 240)
  }

  function toEnd() {
    if (hasNewer && onToNewest) {
      onToNewest()
      return
    }
    const el = scroller.current
    el?.scrollTo({ top: el.scrollHeight, behavior: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' })
  }

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const first = messages[0]?.id
    const before = previous.current
    // Judged against the height *before* this update, at this moment: a flag set by scroll events can lag a frame
    // behind, and a delta landing in that frame would yank a user who has just scrolled up back to the bottom.
    // At a search hit, the hit is scrolled to (useHitHighlight), and the end is not held while newer pages load.
    const wasAtBottom = !hit && (before.height === 0 || before.height - el.scrollTop - el.clientHeight < 80)
    if (before.first !== undefined && first !== before.first && !wasAtBottom) {
      // Older messages were added above: keep the same message under the user's eyes.
      el.scrollTop += el.scrollHeight - before.height
    } else if (wasAtBottom) {
      el.scrollTop = el.scrollHeight
    }
    previous.current = { first, height: el.scrollHeight }
  }, [messages, waitingForReply])

  useHitHighlight(scroller, hit, messages.some((m) => m.id === hit?.messageId))

  useSentinel(scroller, topSentinel, hasOlder ? onLoadOlder : undefined, loadingOlder, '200px 0px 0px 0px')
  useSentinel(scroller, bottomSentinel, hasNewer ? onLoadNewer : undefined, loadingNewer, '0px 0px 200px 0px')

  return (
    <div className="relative flex min-h-0 flex-1 flex-col">
    <div
      ref={scroller}
      data-testid="message-list"
      onScroll={onScroll}
      className="flex-1 overflow-y-auto overscroll-contain"
    >
      <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
        <div ref={topSentinel} className="flex min-h-4 justify-center">
          {loadingOlder && <Spinner label="Loading older messages" className="text-zinc-500 dark:text-zinc-400" />}
        </div>
        {messages.map((m, i) => (
          <MessageBubble
            key={m.id}
            message={m}
            onRetry={onRetry}
            retrying={retryingId === m.id}
            onSwitch={busy ? undefined : onSwitch}
            onEdit={busy ? undefined : onEdit}
            onRegenerate={!busy && !hasNewer && m.role === 'Assistant' && i === messages.length - 1 ? onRegenerate : undefined}
            onContinue={!busy && !hasNewer && m.role === 'Assistant' && i === messages.length - 1 ? onContinue : undefined}
            onRate={onRate}
            latest={!hasNewer && i === messages.length - 1}
            renderFiles={renderFiles}
          />
        ))}
        {hasNewer && (
          <div ref={bottomSentinel} className="flex min-h-4 justify-center">
            {loadingNewer && <Spinner label="Loading newer messages" className="text-zinc-500 dark:text-zinc-400" />}
          </div>
        )}
        {waitingForReply && (
          <div data-testid="typing" className="flex items-center gap-3" aria-label="Parley is replying">
            <div aria-hidden className="grid size-7 place-items-center rounded-full bg-accent-600 text-xs font-semibold text-white">
              P
            </div>
            <span className="flex gap-1 text-zinc-500 dark:text-zinc-400">
              <span className="typing-dot size-1.5 rounded-full bg-current" />
              <span className="typing-dot size-1.5 rounded-full bg-current" />
              <span className="typing-dot size-1.5 rounded-full bg-current" />
            </span>
          </div>
        )}
      </div>
    </div>
    {(awayFromEnd || hasNewer) && (
      <button
        type="button"
        onClick={toEnd}
        aria-label="Scroll to the newest message"
        title="Scroll to the newest message"
        className="absolute bottom-3 left-1/2 grid size-9 -translate-x-1/2 place-items-center rounded-full border border-zinc-300 bg-white text-zinc-700 shadow-md hover:bg-zinc-50 pointer-coarse:size-11 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
      >
        <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className="size-4" aria-hidden>
          {icons.arrowDown}
        </svg>
      </button>
    )}
    </div>
  )
}

/** Calls <paramref>onVisible</paramref> when the sentinel comes within the margin of the scroller's view. */
function useSentinel(
  scroller: RefObject<HTMLElement | null>,
  sentinel: RefObject<HTMLElement | null>,
  onVisible: (() => void) | undefined,
  loading: boolean,
  rootMargin: string,
) {
  useEffect(() => {
    const root = scroller.current
    const target = sentinel.current
    if (!root || !target || !onVisible) return
    const observer = new IntersectionObserver(([entry]) => entry?.isIntersecting && !loading && onVisible(), { root, rootMargin })
    observer.observe(target)
    return () => observer.disconnect()
  }, [scroller, sentinel, onVisible, loading, rootMargin])
}
