import { useCallback, useLayoutEffect, useRef } from 'react'

/**
 * A function whose identity never changes and that always calls the latest `fn`: for callbacks handed to memoized
 * children (each message of a chat), so the screen rendering again does not render every message again.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn)
  useLayoutEffect(() => {
    latest.current = fn
  })
  return useCallback((...args: A) => latest.current(...args), [])
}
