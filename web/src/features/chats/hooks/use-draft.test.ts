import { act, renderHook } from '@testing-library/react'
import { useDraft } from './use-draft'

describe('useDraft', () => {
  beforeEach(() => sessionStorage.clear())

  it('keeps a chat’s text in sessionStorage, so a reload finds it', () => {
    const first = renderHook(() => useDraft(3))
    act(() => first.result.current[1]('half a thought'))
    first.unmount()

    expect(renderHook(() => useDraft(3)).result.current[0]).toBe('half a thought')
  })

  it('puts text given back for another chat into that chat’s open composer', () => {
    // A new chat's first message: sent from the screen without a chat, refused once the chat's own screen is open.
    const newChatScreen = renderHook(() => useDraft(undefined))
    const chatScreen = renderHook(() => useDraft(8))

    act(() => newChatScreen.result.current[1]('the text I typed', 8))

    expect(chatScreen.result.current[0]).toBe('the text I typed')
    expect(newChatScreen.result.current[0]).toBe('')
  })
})
