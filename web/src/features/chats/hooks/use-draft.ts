import { useCallback, useEffect, useState } from 'react'

const drafts = new EventTarget()

const key = (chatId: number | undefined) => `parley:draft:${chatId ?? 'new'}`

function read(chatId: number | undefined): string {
  try {
    return sessionStorage.getItem(key(chatId)) ?? ''
  } catch {
    return ''
  }
}

/**
 * The unsent text of a chat, kept in sessionStorage so it survives a refused send, a reload, or a trip to the
 * upgrade page and back.
 */
export function useDraft(chatId: number | undefined) {
  const [draft, setDraftState] = useState(() => read(chatId))

  useEffect(() => {
    setDraftState(read(chatId))
    // A send that began in another chat's screen (a new chat's first message) puts a refused text back for this one.
    const returned = (e: Event) => {
      const detail = (e as CustomEvent<{ chatId: number | undefined; value: string }>).detail
      if (detail.chatId === chatId) setDraftState(detail.value)
    }
    drafts.addEventListener('returned', returned)
    return () => drafts.removeEventListener('returned', returned)
  }, [chatId])

  const setDraft = useCallback(
    (value: string, forChat: number | undefined = chatId) => {
      if (forChat === chatId) setDraftState(value)
      else drafts.dispatchEvent(new CustomEvent('returned', { detail: { chatId: forChat, value } }))
      try {
        if (value) sessionStorage.setItem(key(forChat), value)
        else sessionStorage.removeItem(key(forChat))
      } catch {
        // Private mode or a full quota: the draft still lives in memory.
      }
    },
    [chatId],
  )

  return [draft, setDraft] as const
}
