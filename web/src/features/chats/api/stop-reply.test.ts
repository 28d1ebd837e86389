import { ApiError } from '@/lib/problem'
import { stopReply } from './stream-reply'

const problem = (status: number) =>
  new Response(JSON.stringify({ type: 'https://parley.chat/problems/x', title: 't', status, detail: 'd' }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  })

describe('stopReply', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('is done when the server accepts the stop, on whichever instance generates the reply', async () => {
    const fetch = vi.fn().mockResolvedValue(new Response(null, { status: 202 }))
    vi.stubGlobal('fetch', fetch)

    await expect(stopReply(1, 2)).resolves.toBeUndefined()
    expect(fetch).toHaveBeenCalledWith('/api/chats/1/messages/2/stop', expect.objectContaining({ method: 'POST' }))
  })

  it('treats a reply that already ended as stopped', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(problem(409)))

    await expect(stopReply(1, 2)).resolves.toBeUndefined()
  })

  it('reports any other failure, so the screen can say the reply goes on', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(problem(503)))

    await expect(stopReply(1, 2)).rejects.toBeInstanceOf(ApiError)
  })
})
