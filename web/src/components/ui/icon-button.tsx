import type { ReactNode } from 'react'

/**
 * A button shown as an icon, named for screen readers and with a tooltip on hover and keyboard focus. 32 px with
 * a mouse, 44 px on a touch screen (WCAG 2.5.5 target size).
 */
export function IconButton({
  label,
  onClick,
  children,
  tooltip = label,
  pressed,
  disabled,
  small = false,
  tooltipPlacement = 'top',
  className = '',
}: {
  label: string
  onClick: () => void
  /** The icon's paths, drawn on a 20×20 box with the current colour. */
  children: ReactNode
  tooltip?: string
  pressed?: boolean
  disabled?: boolean
  /** 28 px with a mouse (in a toolbar row); still 44 px on touch. */
  small?: boolean
  /** Above and centred, or (at the top right of the screen) below and ending at the button's right edge. */
  tooltipPlacement?: 'top' | 'bottom-end'
  className?: string
}) {
  return (
    <button
      type="button"
      aria-label={label}
      aria-pressed={pressed}
      disabled={disabled}
      onClick={onClick}
      className={`group/tip relative grid ${small ? 'size-7' : 'size-8'} shrink-0 place-items-center rounded-lg text-zinc-600 transition-colors hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-accent-500 disabled:opacity-40 pointer-coarse:size-11 aria-pressed:text-accent-700 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100 dark:aria-pressed:text-accent-300 ${className}`}
    >
      <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" className="size-4" aria-hidden>
        {children}
      </svg>
      <span
        aria-hidden
        // Not laid out until shown, so a tooltip near the edge never widens the page.
        className={`pointer-events-none absolute z-20 hidden rounded-md bg-zinc-900 px-2 py-1 text-xs whitespace-nowrap text-white group-hover/tip:block group-focus-visible/tip:block pointer-coarse:!hidden dark:bg-zinc-100 dark:text-zinc-900 ${
          tooltipPlacement === 'top' ? 'bottom-full left-1/2 mb-1 -translate-x-1/2' : 'top-full right-0 mt-1'
        }`}
      >
        {tooltip}
      </span>
    </button>
  )
}

/** The icons the chat uses, as paths for {@link IconButton}. */
export const icons = {
  copy: (
    <>
      <rect x="7" y="7" width="9" height="9" rx="1.5" />
      <path d="M13 7V5.5A1.5 1.5 0 0 0 11.5 4h-6A1.5 1.5 0 0 0 4 5.5v6A1.5 1.5 0 0 0 5.5 13H7" />
    </>
  ),
  check: <path d="m4.5 10.5 3.5 3.5 7.5-8" />,
  edit: <path d="M13.6 3.6a2 2 0 0 1 2.8 2.8l-8.5 8.5-3.6.8.8-3.6 8.5-8.5Z" />,
  trash: <path d="M8 4h4m-7 2h10m-8.5 0 .6 9a1 1 0 0 0 1 1h3.8a1 1 0 0 0 1-1l.6-9" />,
  regenerate: <path d="M15.5 8A6 6 0 0 0 4.6 6.5M4.5 3v3.5H8M4.5 12a6 6 0 0 0 10.9 1.5m.1 3.5v-3.5H12" />,
  continue: <path d="M5 4.5v11l9-5.5-9-5.5Z" />,
  thumbUp: <path d="M6 9v7H4V9h2Zm0 0 3-5.5a1.5 1.5 0 0 1 2.8.9L11 8h4a1.5 1.5 0 0 1 1.5 1.8l-1.2 5A1.5 1.5 0 0 1 13.8 16H6" />,
  thumbDown: <path d="M6 11V4H4v7h2Zm0 0 3 5.5a1.5 1.5 0 0 0 2.8-.9L11 12h4a1.5 1.5 0 0 0 1.5-1.8l-1.2-5A1.5 1.5 0 0 0 13.8 4H6" />,
  close: <path d="m5 5 10 10M15 5 5 15" />,
  plus: <path d="M10 4v12M4 10h12" />,
  arrowDown: <path d="M10 4v12m0 0-5-5m5 5 5-5" />,
  menu: <path d="M3 5h14M3 10h14M3 15h14" />,
} as const
