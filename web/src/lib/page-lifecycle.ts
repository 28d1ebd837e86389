let leaving = false

if (typeof window !== 'undefined') {
  window.addEventListener('pagehide', () => (leaving = true))
  window.addEventListener('beforeunload', () => (leaving = true))
  // Back from the back/forward cache: the page lives on.
  window.addEventListener('pageshow', () => (leaving = false))
}

/**
 * True while the page is being reloaded or left. Requests the browser cuts off then did not fail for the user: a
 * send whose stream is torn down by a reload must not be treated as refused (its text would come back as a draft).
 */
export function isPageLeaving(): boolean {
  return leaving
}
