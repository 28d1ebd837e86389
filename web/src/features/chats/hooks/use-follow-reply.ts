import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { queryKeys } from '@/lib/query-client'
import { follow } from '../api/stream-reply'
import type { PendingMessage } from '../api/types'

/**
 * A reply still streaming when the page opens (a reload, another tab): attach to it and follow it to the end.
 * `ownReplyId` is the reply this tab is already streaming, which needs no second connection.
 * Returns the id of the reply being followed, if any.
 */
export function useFollowReply(chatId: number | undefined, messages: PendingMessage[], ownReplyId: number | undefined) {
  const queryClient = useQueryClient()
  const followed = useRef(new Set<number>())
  const [following, setFollowing] = useState<number | null>(null)
  const pendingReplyId = messages.findLast((m) => m.role === 'Assistant' && m.status === 'Streaming')?.id

  useEffect(() => {
    if (!chatId || pendingReplyId === undefined || ownReplyId === pendingReplyId || followed.current.has(pendingReplyId)) return
    followed.current.add(pendingReplyId)
    const controller = new AbortController()
    setFollowing(pendingReplyId)
    void follow(queryClient, chatId, pendingReplyId, controller.signal)
      .catch(() => {})
      .finally(() => {
        setFollowing((id) => (id === pendingReplyId ? null : id))
        void queryClient.invalidateQueries({ queryKey: queryKeys.messages(chatId) })
      })
    return () => {
      controller.abort()
      followed.current.delete(pendingReplyId)
    }
  }, [chatId, pendingReplyId, ownReplyId, queryClient])

  return following
}
