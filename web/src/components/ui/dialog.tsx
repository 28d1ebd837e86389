import { useEffect, useId, useRef, type ReactNode } from 'react'

/**
 * A modal on the native <dialog> element: focus is trapped, Escape closes, the page behind is inert.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  testId,
  wide,
}: {
  open: boolean
  onClose: () => void
  title: string
  children: ReactNode
  testId?: string
  /** Wider, and near the top of the screen (a command palette). */
  wide?: boolean
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal?.()
    if (!open && dialog.open) dialog.close?.()
  }, [open])

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
      onClick={(e) => e.target === ref.current && onClose()}
      className={`${wide ? 'mx-auto mt-[10vh] w-[min(36rem,calc(100vw-1.5rem))]' : 'm-auto w-[min(28rem,calc(100vw-2rem))]'} rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      {open && (
        <div className={wide ? 'p-3 pt-4' : 'p-6'}>
          <h2 id={titleId} className={wide ? 'sr-only' : 'text-lg font-semibold'}>
            {title}
          </h2>
          <div className="mt-3">{children}</div>
        </div>
      )}
    </dialog>
  )
}
