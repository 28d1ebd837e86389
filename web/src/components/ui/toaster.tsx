import { useEffect, useState, useSyncExternalStore } from 'react'

export interface Toast {
  id: number
  message: string
  tone: 'info' | 'success' | 'error'
  /** A button in the toast ("Undo"); the toast closes when it is pressed. */
  action?: { label: string; onClick: () => void }
  /** How long it stays; errors stay until closed. */
  duration: number | null
}

let toasts: Toast[] = []
let nextId = 1
const listeners = new Set<() => void>()
const emit = () => listeners.forEach((l) => l())

/** Shows a short message at the bottom of the screen (announced to screen readers). Returns a function that closes it. */
export function toast(message: string, options: Partial<Omit<Toast, 'id' | 'message'>> = {}): () => void {
  const tone = options.tone ?? 'info'
  const item: Toast = { id: nextId++, message, tone, action: options.action, duration: options.duration ?? (tone === 'error' ? null : 5000) }
  toasts = [...toasts.slice(-2), item] // at most three at once
  emit()
  return () => dismiss(item.id)
}

export function dismiss(id: number) {
  toasts = toasts.filter((t) => t.id !== id)
  emit()
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function Toaster() {
  const items = useSyncExternalStore(subscribe, () => toasts, () => toasts)
  return (
    <div
      aria-live="polite"
      role="status"
      data-testid="toaster"
      className="pointer-events-none fixed inset-x-0 bottom-28 z-50 flex flex-col items-center gap-2 px-4"
    >
      {items.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  )
}

const tones: Record<Toast['tone'], string> = {
  info: 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900',
  success: 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900',
  error: 'bg-red-700 text-white dark:bg-red-300 dark:text-red-950',
}

function ToastItem({ toast: t }: { toast: Toast }) {
  // Held open while the pointer is on it or focus is in it (an Undo being reached for, a message being read); the
  // time starts again when they leave (WCAG 2.2.1: time limits can be extended).
  const [held, setHeld] = useState({ pointer: false, focus: false })
  const paused = held.pointer || held.focus
  useEffect(() => {
    if (t.duration === null || paused) return
    const timer = setTimeout(() => dismiss(t.id), t.duration)
    return () => clearTimeout(timer)
  }, [t, paused])

  return (
    <div
      onPointerEnter={() => setHeld((h) => ({ ...h, pointer: true }))}
      onPointerLeave={() => setHeld((h) => ({ ...h, pointer: false }))}
      onFocus={() => setHeld((h) => ({ ...h, focus: true }))}
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setHeld((h) => ({ ...h, focus: false }))}
      data-testid="toast" className={`pointer-events-auto flex max-w-md items-center gap-3 rounded-xl px-4 py-2.5 text-sm shadow-lg ${tones[t.tone]}`}>
      {t.tone === 'success' && (
        <svg viewBox="0 0 20 20" className="size-4 shrink-0" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="m4.5 10.5 3.5 3.5 7.5-8" />
        </svg>
      )}
      <span>{t.message}</span>
      {t.action && (
        <button
          type="button"
          onClick={() => {
            dismiss(t.id)
            t.action!.onClick()
          }}
          className="-my-1 rounded-md px-2 py-1 font-semibold underline-offset-2 hover:underline pointer-coarse:py-2.5"
        >
          {t.action.label}
        </button>
      )}
      <button type="button" aria-label="Dismiss" onClick={() => dismiss(t.id)} className="-my-1 -mr-2 grid size-7 place-items-center rounded-md opacity-80 hover:opacity-100 pointer-coarse:size-11">
        <svg viewBox="0 0 20 20" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden>
          <path d="m5 5 10 10M15 5 5 15" />
        </svg>
      </button>
    </div>
  )
}
