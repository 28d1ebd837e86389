import { QueryClient, type InfiniteData } from '@tanstack/react-query'
import { queryKeys } from '@/lib/query-client'
import { follow } from './stream-reply'
import type { MessagePage } from './types'

const reply = { id: 2, chatId: 1, parentId: 1, role: 'Assistant' as const, status: 'Complete' as const,
  createdAt: '2026-12-01T10:00:00Z', inputTokens: 3, outputTokens: 4, siblings: [2] }
const usage = { plan: 'Free', used: 1, limit: 20, remaining: 19, windowSeconds: 86400, nextFreeAt: null, tokensUsed: 7, tokenLimit: null }

function stream(events: [string, unknown][]) {
  const body = events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('')
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
}

function cached(queryClient: QueryClient) {
  return queryClient.getQueryData<InfiniteData<MessagePage>>(queryKeys.messages(1))!.pages[0]!.items.find((m) => m.id === 2)
}

describe('following a reply', () => {
  afterEach(() => vi.unstubAllGlobals())

  function client() {
    const queryClient = new QueryClient()
    queryClient.setQueryData<InfiniteData<MessagePage>>(queryKeys.messages(1), {
      pages: [{ items: [{ ...reply, content: '', status: 'Streaming' as const }], nextCursor: null, onActiveBranch: true }],
      pageParams: [undefined],
    })
    return queryClient
  }

  it('keeps the text of the deltas when done brings the stored reply without it', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(stream([
      ['delta', { text: 'Hello, ' }],
      ['delta', { text: 'world' }],
      ['usage', usage],
      ['done', { userMessage: null, reply: { ...reply, length: 12 }, usage }],
    ])))
    const queryClient = client()
    const refetch = vi.spyOn(queryClient, 'invalidateQueries')

    await follow(queryClient, 1, 2, new AbortController().signal)

    expect(cached(queryClient)).toEqual({ ...reply, content: 'Hello, world' })
    expect(refetch).not.toHaveBeenCalled()
  })

  it('reads the chat again when the deltas do not add up to the stored length', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(stream([
      ['delta', { text: 'Hello' }],
      ['done', { userMessage: null, reply: { ...reply, length: 12 }, usage }],
    ])))
    const queryClient = client()
    const refetch = vi.spyOn(queryClient, 'invalidateQueries').mockResolvedValue()

    await follow(queryClient, 1, 2, new AbortController().signal)

    expect(refetch).toHaveBeenCalledWith({ queryKey: queryKeys.messages(1) })
  })
})
