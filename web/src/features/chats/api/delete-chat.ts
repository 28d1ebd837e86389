import { useQueryClient, type InfiniteData } from '@tanstack/react-query'
import { useCallback, useEffect, useRef } from 'react'
import { toast } from '@/components/ui/toaster'
import { authorizedFetch } from '@/lib/api-client'
import { errorMessage } from '@/lib/problem'
import { queryKeys } from '@/lib/query-client'
import type { Chat, ChatPage } from './types'

/** How long a deleted chat can be brought back before it is deleted on the server. */
export const UNDO_MS = 5000

export function deleteChat(chatId: number, keepalive = false) {
  return authorizedFetch(`/api/chats/${chatId}`, { method: 'DELETE', keepalive })
}

/**
 * Deleting a chat with Undo: it leaves the list at once and a toast offers it back for a few seconds; only then is
 * it deleted on the server. Leaving or reloading the page in the meantime deletes it then (a keepalive request), so
 * what the user saw happen is what is stored. A delete the server refuses puts the chat back and says why.
 */
export function useDeleteChat() {
  const queryClient = useQueryClient()
  const pending = useRef(new Map<number, ReturnType<typeof setTimeout>>())

  const commit = useCallback(
    async (chat: Chat) => {
      pending.current.delete(chat.id)
      try {
        await deleteChat(chat.id)
        queryClient.removeQueries({ queryKey: queryKeys.chat(chat.id) })
      } catch (error) {
        toast(`“${chat.title}” could not be deleted. ${errorMessage(error)}`, { tone: 'error' })
      } finally {
        void queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true })
      }
    },
    [queryClient],
  )

  useEffect(() => {
    const timers = pending.current
    const flush = () => {
      for (const [chatId, timer] of timers) {
        clearTimeout(timer)
        void deleteChat(chatId, true).catch(() => {})
      }
      timers.clear()
    }
    window.addEventListener('pagehide', flush)
    return () => {
      window.removeEventListener('pagehide', flush)
      flush() // signing out or leaving the chat screen: what was deleted stays deleted
    }
  }, [])

  return useCallback(
    (chat: Chat) => {
      queryClient.setQueryData<InfiniteData<ChatPage>>(queryKeys.chats, (data) =>
        data && { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== chat.id) })) },
      )
      pending.current.set(chat.id, setTimeout(() => void commit(chat), UNDO_MS))
      toast(`Deleted “${chat.title}”`, {
        duration: UNDO_MS,
        action: {
          label: 'Undo',
          onClick: () => {
            clearTimeout(pending.current.get(chat.id))
            pending.current.delete(chat.id)
            void queryClient.invalidateQueries({ queryKey: queryKeys.chats, exact: true })
          },
        },
      })
    },
    [commit, queryClient],
  )
}
