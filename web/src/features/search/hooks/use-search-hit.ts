import { useEffect, useMemo } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { useLocation, useNavigate, useSearchParams } from 'react-router'
import { switchBranch } from '@/features/chats/api/stream-reply'
import type { SearchTarget } from '@/features/search/components/search-panel'
import { queryKeys } from '@/lib/query-client'
import { errorMessage } from '@/lib/problem'

/** The message a chat was opened at from search, the words to mark in it, and each opening told apart. */
export type SearchHit = { messageId: number; query: string | null; opened: string }

/**
 * A chat opened from search: `?m=` the message to show and `?q=` the words to mark, in the address so a reload or a
 * shared link opens the same place. `open` goes to a hit (or a chat, for a title hit); `leave` goes back to the
 * newest messages, as writing does, so what is sent shows under them.
 */
export function useSearchHit(chatId: number | undefined) {
  const [searchParams] = useSearchParams()
  const location = useLocation()
  const navigate = useNavigate()
  const focusId = Number(searchParams.get('m')) || undefined
  const hit = useMemo<SearchHit | undefined>(
    () => (focusId === undefined ? undefined : { messageId: focusId, query: searchParams.get('q'), opened: location.key }),
    [focusId, searchParams, location.key],
  )

  function open(target: SearchTarget) {
    const at = target.messageId === undefined ? '' : `?m=${target.messageId}&q=${encodeURIComponent(target.query)}`
    navigate(`/c/${target.chatId}${at}`)
  }

  function leave(target = chatId) {
    if (focusId !== undefined && target !== undefined) navigate(`/c/${target}`, { replace: true })
  }

  return { focusId, hit, open, leave }
}

/**
 * A hit on another branch than the chat's active one: the chat switches to it, as the sibling arrows would, so the
 * next message follows on from it.
 */
export function useHitBranch(
  chatId: number | undefined,
  focusId: number | undefined,
  offBranch: boolean,
  onError: (message: string) => void,
) {
  const queryClient = useQueryClient()
  useEffect(() => {
    if (!offBranch || chatId === undefined || focusId === undefined) return
    void switchBranch(chatId, focusId)
      .then(() => queryClient.invalidateQueries({ queryKey: queryKeys.messages(chatId) }))
      .catch((error: unknown) => onError(errorMessage(error)))
    // onError is read as it is now; the switch runs once per hit that is off the branch.
  }, [offBranch, chatId, focusId])
}
