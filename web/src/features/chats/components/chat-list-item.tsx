import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { NavLink } from 'react-router'
import type { Chat } from '../api/types'

/** One chat in the sidebar: a link, with rename (inline) and delete actions. */
export function ChatListItem({
  chat,
  onRename,
  onDelete,
  onNavigate,
}: {
  chat: Chat
  onRename: (title: string) => void
  onDelete: () => void
  onNavigate?: () => void
}) {
  const [editing, setEditing] = useState(false)
  const [title, setTitle] = useState(chat.title)
  const input = useRef<HTMLInputElement>(null)
  const finished = useRef(false)

  useEffect(() => {
    if (editing) input.current?.select()
  }, [editing])

  /** Starts from the title as it is now (it may have been set by the server since this item was first shown). */
  function startEditing() {
    setTitle(chat.title)
    finished.current = false
    setEditing(true)
  }

  /** Enter or leaving the field saves a changed title; Escape keeps the old one. Only the first of them counts. */
  function finish(save: boolean) {
    if (finished.current) return
    finished.current = true
    const next = title.trim()
    setEditing(false)
    if (save && next && next !== chat.title) onRename(next)
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') finish(true)
    if (e.key === 'Escape') {
      e.preventDefault()
      finish(false)
    }
  }

  if (editing) {
    return (
      <li className="px-2">
        <input
          ref={input}
          value={title}
          maxLength={120}
          aria-label="Chat title"
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => finish(true)}
          className="w-full rounded-lg border border-accent-500 bg-white px-2.5 py-1.5 text-sm outline-none ring-2 ring-accent-500/20 dark:bg-zinc-900"
        />
      </li>
    )
  }

  return (
    <li className="group relative px-2" data-testid="chat-item">
      <NavLink
        to={`/c/${chat.id}`}
        onClick={onNavigate}
        onDoubleClick={startEditing}
        className={({ isActive }) =>
          `block truncate rounded-lg py-2 pr-16 pl-2.5 text-sm ${
            isActive
              ? 'bg-zinc-200/70 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100'
              : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-900'
          }`
        }
      >
        {chat.title}
      </NavLink>
      <div className="absolute top-1/2 right-3 flex -translate-y-1/2 gap-0.5 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 max-md:opacity-100">
        <IconButton label={`Rename ${chat.title}`} onClick={startEditing}>
          <path d="M13.6 3.6a2 2 0 0 1 2.8 2.8l-8.5 8.5-3.6.8.8-3.6 8.5-8.5Z" />
        </IconButton>
        <IconButton label={`Delete ${chat.title}`} onClick={onDelete}>
          <path d="M8 4h4m-7 2h10m-8.5 0 .6 9a1 1 0 0 0 1 1h3.8a1 1 0 0 0 1-1l.6-9" />
        </IconButton>
      </div>
    </li>
  )
}

function IconButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="grid size-7 place-items-center rounded-md text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-700 dark:hover:text-zinc-100"
    >
      <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" className="size-4" aria-hidden>
        {children}
      </svg>
    </button>
  )
}
