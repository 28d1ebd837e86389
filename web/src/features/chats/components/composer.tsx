import { useEffect, useImperativeHandle, useRef, useState, type ClipboardEvent, type DragEvent, type FormEvent, type KeyboardEvent, type ReactNode, type Ref } from 'react'

/**
 * The message box. Enter sends, Shift+Enter starts a new line; sending is blocked while a reply is on its way.
 * The text is owned by the caller, so a refused send can put it back. With `onFiles`, files come in by the attach
 * button, by pasting and by dropping them on the box; the caller shows them in `files` and says when they are
 * `filesReady` (then the text may be empty) or still `filesBusy` uploading.
 */
export function Composer({
  value,
  onChange,
  onSend,
  sending,
  onStop,
  maxLength,
  placeholder = 'Message Parley…',
  ref,
  onFiles,
  files,
  filesReady = false,
  filesBusy = false,
}: {
  value: string
  onChange: (value: string) => void
  onSend: (text: string) => void
  sending: boolean
  /** Set while a reply streams in: the send button becomes Stop. */
  onStop?: () => void
  maxLength: number
  placeholder?: string
  /** Lets the screen put the cursor in the box (keyboard shortcuts). */
  ref?: Ref<{ focus: () => void }>
  onFiles?: (files: File[]) => void
  files?: ReactNode
  filesReady?: boolean
  filesBusy?: boolean
}) {
  const textarea = useRef<HTMLTextAreaElement>(null)
  const picker = useRef<HTMLInputElement>(null)
  const [dragging, setDragging] = useState(false)
  useImperativeHandle(ref, () => ({ focus: () => textarea.current?.focus() }), [])
  const trimmed = value.trim()
  const tooLong = value.length > maxLength
  const canSend = (trimmed.length > 0 || filesReady) && !tooLong && !sending && !filesBusy

  useEffect(() => {
    const el = textarea.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`
  }, [value])

  function submit(e?: FormEvent) {
    e?.preventDefault()
    if (canSend) onSend(trimmed)
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      submit()
    }
  }

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = [...e.clipboardData.files]
    if (!onFiles || pasted.length === 0) return
    e.preventDefault() // a screenshot pasted is a file, not its name as text
    onFiles(pasted)
  }

  function onDrop(e: DragEvent) {
    setDragging(false)
    if (!onFiles || e.dataTransfer.files.length === 0) return
    e.preventDefault()
    onFiles([...e.dataTransfer.files])
  }

  const nearLimit = value.length > maxLength * 0.9
  return (
    <form
      onSubmit={submit}
      className="mx-auto w-full max-w-3xl px-4"
      onDragOver={onFiles ? (e) => (e.dataTransfer.types.includes('Files') ? (e.preventDefault(), setDragging(true)) : undefined) : undefined}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div
        data-testid="composer-box"
        className={`rounded-2xl border bg-white p-2 shadow-sm focus-within:border-accent-500 focus-within:ring-2 focus-within:ring-accent-500/20 dark:bg-zinc-900 ${
          dragging ? 'border-accent-500 ring-2 ring-accent-500/30' : 'border-zinc-300 dark:border-zinc-700'
        }`}
      >
      {files}
      <div className="flex items-end gap-2">
        {onFiles && (
          <>
            <button
              type="button"
              onClick={() => picker.current?.click()}
              aria-label="Attach files"
              title="Attach files (or paste, or drop them here)"
              className="grid size-10 shrink-0 place-items-center rounded-xl text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
            >
              <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" className="size-5" aria-hidden>
                <path d="M15.5 9.5 10 15a3.5 3.5 0 0 1-5-5l6-6a2.3 2.3 0 0 1 3.3 3.3l-6 6a1.2 1.2 0 0 1-1.7-1.7L12 6.2" />
              </svg>
            </button>
            <input
              ref={picker}
              type="file"
              multiple
              hidden
              data-testid="file-input"
              accept="image/png,image/jpeg,image/webp,image/gif,application/pdf,text/*,.md,.csv,.json,.txt,.py,.js,.ts,.tsx,.cs,.java,.go,.rs,.rb,.php,.c,.cpp,.h,.sql,.yaml,.yml,.toml,.log"
              onChange={(e) => {
                if (e.target.files?.length) onFiles([...e.target.files])
                e.target.value = '' // the same file can be picked again after removing it
              }}
            />
          </>
        )}
        <textarea
          ref={textarea}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          rows={1}
          placeholder={placeholder}
          aria-label="Message"
          aria-invalid={tooLong}
          className="max-h-60 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-[15px] leading-6 outline-none placeholder:text-zinc-500 dark:placeholder:text-zinc-400"
        />
        {onStop ? (
          <button
            type="button"
            onClick={onStop}
            aria-label="Stop"
            className="grid size-10 shrink-0 place-items-center rounded-xl bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900"
          >
            <span className="size-3.5 rounded-sm bg-current" />
          </button>
        ) : (
        <button
          type="submit"
          disabled={!canSend}
          aria-label={sending ? 'Sending' : 'Send message'}
          className="grid size-10 shrink-0 place-items-center rounded-xl bg-accent-600 text-white transition-colors hover:bg-accent-700 disabled:cursor-not-allowed disabled:bg-zinc-300 dark:disabled:bg-zinc-700"
        >
          {sending ? (
            <span className="size-4 animate-spin rounded-full border-2 border-white border-r-transparent" />
          ) : (
            <svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden>
              <path d="M3.1 2.3a.75.75 0 0 1 .8-.1l13.5 7a.75.75 0 0 1 0 1.3l-13.5 7a.75.75 0 0 1-1.05-.9L4.9 10 2.85 3.4a.75.75 0 0 1 .25-1.1ZM6.2 10.75l-1.5 4.9L14.9 10 4.7 4.35l1.5 4.9h5.05a.75.75 0 0 1 0 1.5H6.2Z" />
            </svg>
          )}
        </button>
        )}
      </div>
      </div>
      <div className="flex min-h-5 justify-between px-2 pt-1 text-xs text-zinc-500 dark:text-zinc-400">
        <span className="hidden sm:inline">Enter to send · Shift+Enter for a new line · ? for shortcuts</span>
        {nearLimit && (
          <span data-testid="char-count" className={tooLong ? 'font-medium text-red-700 dark:text-red-400' : ''}>
            {value.length.toLocaleString()} / {maxLength.toLocaleString()}
          </span>
        )}
      </div>
    </form>
  )
}
