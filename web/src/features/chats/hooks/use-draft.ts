import { useCallback, useEffect, useState } from 'react'

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

  useEffect(() => setDraftState(read(chatId)), [chatId])

  const setDraft = useCallback(
    (value: string, forChat: number | undefined = chatId) => {
      if (forChat === chatId) setDraftState(value)
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
