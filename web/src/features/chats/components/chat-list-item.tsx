import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { NavLink } from 'react-router'
import { IconButton, icons } from '@/components/ui/icon-button'
import { useDismiss } from '@/lib/use-dismiss'
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
  const [menuOpen, setMenuOpen] = useState(false)
  const [title, setTitle] = useState(chat.title)
  const input = useRef<HTMLInputElement>(null)
  const finished = useRef(false)

  useEffect(() => {
    if (editing) input.current?.select()
  }, [editing])

  // The touch menu closes on a tap elsewhere or Escape.
  const item = useRef<HTMLLIElement>(null)
  useDismiss(item, menuOpen, useCallback(() => setMenuOpen(false), []))

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
    <li ref={item} className="group relative px-2" data-testid="chat-item">
      <NavLink
        to={`/c/${chat.id}`}
        onClick={onNavigate}
        onDoubleClick={startEditing}
        title={chat.title}
        className={({ isActive }) =>
          `block truncate rounded-lg py-2 pl-2.5 text-sm pointer-coarse:py-3 pointer-coarse:pr-12 pointer-fine:pr-2.5 ${
            isActive
              ? 'bg-zinc-200/70 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100'
              : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800/60'
          }`
        }
      >
        {chat.title}
      </NavLink>
      {/* With a mouse: over the end of the title on hover or focus, so titles use the full width otherwise. */}
      <div className="absolute inset-y-0 right-2 flex items-center gap-0.5 rounded-r-lg bg-gradient-to-l from-zinc-100 from-70% pr-1 pl-6 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100 pointer-coarse:hidden dark:from-zinc-800">
        <IconButton label={`Rename ${chat.title}`} onClick={startEditing} small>
          {icons.edit}
        </IconButton>
        <IconButton label={`Delete ${chat.title}`} onClick={onDelete} small>
          {icons.trash}
        </IconButton>
      </div>
      {/* On a touch screen: one button at the end, with a menu. */}
      <div className="absolute inset-y-0 right-2 hidden items-center pointer-coarse:flex">
        <IconButton label={`More for ${chat.title}`} tooltip="More" onClick={() => setMenuOpen((v) => !v)} pressed={menuOpen}>
          <circle cx="5" cy="10" r="1" fill="currentColor" />
          <circle cx="10" cy="10" r="1" fill="currentColor" />
          <circle cx="15" cy="10" r="1" fill="currentColor" />
        </IconButton>
        {menuOpen && (
          <div role="menu" aria-label={`Actions for ${chat.title}`} className="absolute top-full right-0 z-30 mt-1 w-40 overflow-hidden rounded-xl border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900">
            <button type="button" role="menuitem" onClick={() => (setMenuOpen(false), startEditing())} className="block w-full px-4 py-3 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
              Rename
            </button>
            <button type="button" role="menuitem" onClick={() => (setMenuOpen(false), onDelete())} className="block w-full px-4 py-3 text-left text-sm text-red-700 hover:bg-zinc-100 dark:text-red-400 dark:hover:bg-zinc-800">
              Delete
            </button>
          </div>
        )}
      </div>
    </li>
  )
}
