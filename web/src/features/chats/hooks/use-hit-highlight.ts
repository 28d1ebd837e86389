import { useEffect, type RefObject } from 'react'
import { findWords } from '@/lib/search-text'

const HIGHLIGHT = 'search-hit'
const SHOWN_MS = 4000

/**
 * A message opened from search: scrolled to the middle of the view once it is shown, lit briefly, and the query's
 * words in it marked for a few seconds (the CSS Custom Highlight API, so the message's DOM is not touched; where a
 * browser lacks it, only the light shows). Returns whether it has been shown.
 */
export function useHitHighlight(
  container: RefObject<HTMLElement | null>,
  hit: { messageId: number; query: string | null; opened: string } | undefined,
  ready: boolean,
) {
  const messageId = hit?.messageId
  const query = hit?.query ?? null
  useEffect(() => {
    const root = container.current
    if (!root || messageId === undefined || !ready) return
    const element = root.querySelector<HTMLElement>(`[data-message-id="${messageId}"]`)
    if (!element) return
    element.scrollIntoView({ block: 'center' })
    element.classList.add('search-hit')
    const ranges: Range[] = []
    if (query) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const [start, end] of findWords(node.textContent ?? '', query)) {
          const range = document.createRange()
          range.setStart(node, start)
          range.setEnd(node, end)
          ranges.push(range)
        }
      }
    }
    const highlights = typeof CSS !== 'undefined' && 'highlights' in CSS ? CSS.highlights : undefined
    if (highlights && ranges.length > 0) highlights.set(HIGHLIGHT, new Highlight(...ranges))
    const t = setTimeout(() => {
      highlights?.delete(HIGHLIGHT)
      element.classList.remove('search-hit')
    }, SHOWN_MS)
    return () => {
      clearTimeout(t)
      highlights?.delete(HIGHLIGHT)
      element.classList.remove('search-hit')
    }
    // Once each time a hit is opened: later pages loading around it do not scroll back to it.
  }, [messageId, hit?.opened, ready])
}
