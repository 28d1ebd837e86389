import { useEffect, useRef } from 'react'

/** Where typing goes: a shortcut that is a plain key must not fire while the user types in a field. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
}

/** The chat screen's keyboard shortcuts (listed in ShortcutsDialog). A modal dialog open takes the keys for itself. */
export function useChatShortcuts(handlers: {
  newChat: () => void
  focusComposer: () => void
  stop?: () => void
  showShortcuts: () => void
  search: () => void
}) {
  const latest = useRef(handlers)
  latest.current = handlers

  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.defaultPrevented || e.isComposing || document.querySelector('dialog[open]')) return
      const h = latest.current
      const mod = e.metaKey || e.ctrlKey
      if (mod && e.shiftKey && e.key.toLowerCase() === 'o') h.newChat()
      else if (mod && !e.shiftKey && e.key.toLowerCase() === 'k') h.search()
      else if (e.shiftKey && e.key === 'Escape') h.focusComposer()
      else if (e.key === 'Escape' && !e.shiftKey && h.stop) h.stop()
      else if (isTyping(e.target)) return
      else if (e.key === '/' && !mod) h.focusComposer()
      else if (e.key === '?') h.showShortcuts()
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
