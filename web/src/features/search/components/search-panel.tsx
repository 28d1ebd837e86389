import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react'
import { Spinner } from '@/components/ui/spinner'
import { formatDate } from '@/lib/format'
import { errorMessage } from '@/lib/problem'
import { useSearch, type MessageHit, type SnippetPart } from '../api/search'
import { markTitle, plainSnippet } from '@/lib/search-text'
import { Snippet } from './snippet'

/** Where a result leads: a chat, or a message in it (with the query, to highlight its words there). */
export type SearchTarget = { chatId: number; messageId?: number; query: string }

type Option =
  | { kind: 'chat'; key: string; chatId: number; title: SnippetPart[] }
  | { kind: 'message'; key: string; hit: MessageHit }

const DEBOUNCE_MS = 150

function useDebounced(value: string): string {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    if (!value.trim()) {
      setDebounced(value) // clearing is at once
      return
    }
    const t = setTimeout(() => setDebounced(value), DEBOUNCE_MS)
    return () => clearTimeout(t)
  }, [value])
  return debounced
}

/**
 * A search field with its results below: chat titles matched in the browser at once (from the chats already
 * loaded) and by the server, then messages grouped by chat with their snippets. A combobox: arrows move through
 * the results, Enter opens one, Escape clears the field.
 */
export function SearchPanel({
  value,
  onChange,
  chats,
  onOpen,
  autoFocus,
  inputRef,
}: {
  value: string
  onChange: (value: string) => void
  chats: { id: number; title: string }[]
  onOpen: (target: SearchTarget) => void
  autoFocus?: boolean
  inputRef?: Ref<HTMLInputElement>
}) {
  const id = useId()
  const query = useDebounced(value)
  const results = useSearch(query)
  const [active, setActive] = useState(-1)
  const list = useRef<HTMLDivElement>(null)
  const open = value.trim().length > 0

  const options = useMemo<Option[]>(() => {
    if (!query.trim()) return []
    const titled: Option[] = []
    const seen = new Set<number>()
    for (const c of chats) {
      const marked = markTitle(c.title, query)
      if (marked && titled.length < 5) {
        titled.push({ kind: 'chat', key: `c${c.id}`, chatId: c.id, title: marked })
        seen.add(c.id)
      }
    }
    const pages = results.data?.pages ?? []
    for (const hit of pages[0]?.chats ?? []) {
      if (!seen.has(hit.chatId) && titled.length < 8) {
        titled.push({ kind: 'chat', key: `c${hit.chatId}`, chatId: hit.chatId, title: hit.title })
        seen.add(hit.chatId)
      }
    }
    const messages = pages.flatMap((p) => p.messages).map<Option>((hit) => ({ kind: 'message', key: `m${hit.messageId}`, hit }))
    return [...titled, ...messages]
  }, [chats, query, results.data])

  useEffect(() => setActive(-1), [query])
  useEffect(() => {
    if (active >= 0) document.getElementById(`${id}-${active}`)?.scrollIntoView({ block: 'nearest' })
  }, [active, id])

  function openOption(option: Option | undefined) {
    if (!option) return
    onOpen(option.kind === 'chat' ? { chatId: option.chatId, query } : { chatId: option.hit.chatId, messageId: option.hit.messageId, query })
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (options.length === 0) return
      const step = e.key === 'ArrowDown' ? 1 : -1
      setActive((i) => (i + step + options.length) % options.length)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      openOption(options[active] ?? options[0])
    } else if (e.key === 'Escape' && value) {
      e.preventDefault() // clears the field; does not stop a reply or close a dialog
      e.stopPropagation()
      onChange('')
    }
  }

  // Messages grouped by chat, in the order of their best hit.
  const chatOptions = options.filter((o) => o.kind === 'chat')
  const groups: { chatId: number; title: string; items: { option: Option & { kind: 'message' }; index: number }[] }[] = []
  options.forEach((option, index) => {
    if (option.kind !== 'message') return
    let group = groups.find((g) => g.chatId === option.hit.chatId)
    if (!group) groups.push((group = { chatId: option.hit.chatId, title: option.hit.chatTitle, items: [] }))
    group.items.push({ option, index })
  })
  const settled = results.data !== undefined && !results.isPlaceholderData && query === value
  const optionId = (i: number) => `${id}-${i}`

  return (
    <div className="flex min-h-0 flex-col">
      <div className="px-3 pb-2">
        <label htmlFor={`${id}-input`} className="sr-only">
          Search chats and messages
        </label>
        <div className="relative">
          <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-500 dark:text-zinc-400">
            <circle cx="9" cy="9" r="5.5" />
            <path d="m13.5 13.5 3.5 3.5" />
          </svg>
          <input
            ref={inputRef}
            id={`${id}-input`}
            type="search"
            role="combobox"
            aria-expanded={open}
            aria-controls={`${id}-list`}
            aria-autocomplete="list"
            aria-activedescendant={active >= 0 ? optionId(active) : undefined}
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            autoFocus={autoFocus}
            placeholder="Search"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={onKeyDown}
            data-testid="search-input"
            className="h-9 w-full rounded-lg border border-zinc-300 bg-white pr-2 pl-8 text-sm placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-500/30 focus:outline-none pointer-coarse:h-11 dark:border-zinc-700 dark:bg-zinc-950 dark:placeholder:text-zinc-400"
          />
        </div>
      </div>
      {open && (
        <div className="min-h-0 flex-1 overflow-y-auto pb-3" data-testid="search-results">
          <div id={`${id}-list`} role="listbox" aria-label="Search results" ref={list}>
            {chatOptions.length > 0 && (
              <div role="group" aria-labelledby={`${id}-chats`}>
                <div id={`${id}-chats`} role="presentation" className="px-4 pt-1 pb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
                  Chats
                </div>
                {options.map((o, i) =>
                  o.kind === 'chat' ? (
                    <div
                      key={o.key}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === active}
                      data-testid="search-chat"
                      onClick={() => openOption(o)}
                      onMouseMove={() => setActive(i)}
                      className={`mx-2 cursor-pointer truncate rounded-lg px-2.5 py-2 text-sm ${i === active ? 'bg-zinc-200 dark:bg-zinc-800' : ''}`}
                    >
                      <Snippet parts={o.title} />
                    </div>
                  ) : null,
                )}
              </div>
            )}
            {groups.map((g) => (
              <div key={g.chatId} role="group" aria-labelledby={`${id}-g${g.chatId}`} className="mt-2">
                <div id={`${id}-g${g.chatId}`} role="presentation" className="truncate px-4 pt-1 pb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
                  {g.title}
                </div>
                {g.items.map(({ option, index }) => (
                  <div
                    key={option.key}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === active}
                    data-testid="search-hit"
                    onClick={() => openOption(option)}
                    onMouseMove={() => setActive(index)}
                    className={`mx-2 cursor-pointer rounded-lg px-2.5 py-2 text-sm ${index === active ? 'bg-zinc-200 dark:bg-zinc-800' : ''}`}
                  >
                    <div className="mb-0.5 text-xs text-zinc-600 dark:text-zinc-400">
                      {option.hit.role === 'User' ? 'You' : 'Parley'} · {formatDate(option.hit.createdAt)}
                    </div>
                    <div className="line-clamp-3 break-words text-zinc-800 dark:text-zinc-200">
                      {/* A question is shown as typed; a reply is Markdown, shown as it reads. */}
                      <Snippet parts={option.hit.role === 'User' ? option.hit.snippet : plainSnippet(option.hit.snippet)} />
                    </div>
                  </div>
                ))}
              </div>
            ))}
          </div>
          {results.isError ? (
            <p role="alert" className="px-4 py-2 text-sm text-red-700 dark:text-red-400">
              Search is not available right now: {errorMessage(results.error)}{' '}
              <button type="button" className="underline" onClick={() => void results.refetch()}>
                Try again
              </button>
            </p>
          ) : !settled && options.length === 0 ? (
            <div className="flex items-center gap-2 px-4 py-2 text-sm text-zinc-600 dark:text-zinc-400">
              <Spinner label="Searching" /> Searching…
            </div>
          ) : settled && options.length === 0 ? (
            <p role="status" data-testid="search-empty" className="px-4 py-2 text-sm text-zinc-600 dark:text-zinc-400">
              No chats or messages match “{value.trim()}”.
            </p>
          ) : null}
          {results.hasNextPage && (
            <div className="px-3 pt-1">
              <button
                type="button"
                disabled={results.isFetchingNextPage}
                onClick={() => void results.fetchNextPage()}
                className="w-full rounded-lg px-3 py-2 text-sm text-zinc-700 hover:bg-zinc-200 disabled:opacity-60 dark:text-zinc-300 dark:hover:bg-zinc-800"
              >
                {results.isFetchingNextPage ? 'Loading…' : 'More results'}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  )
}
