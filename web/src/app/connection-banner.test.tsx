import { QueryClientProvider, useQuery } from '@tanstack/react-query'
import { act, render, screen } from '@testing-library/react'
import { ApiError } from '@/lib/problem'
import { createQueryClient, shouldRetry } from '@/lib/query-client'
import { ConnectionBanner } from './connection-banner'

const unavailable = () => new ApiError(503, { type: 'https://parley.chat/problems/database-unavailable', status: 503, detail: 'away' })

function Reader({ read }: { read: () => Promise<string> }) {
  const { data } = useQuery({ queryKey: ['thing'], queryFn: read, retryDelay: 10 })
  return <p>{data ?? 'loading'}</p>
}

describe('ConnectionBanner', () => {
  afterEach(() => vi.restoreAllMocks())

  it('says Parley is reconnecting while a read fails because the server is away, and goes once it works', async () => {
    let failures = 3
    const read = vi.fn(async () => {
      if (failures-- > 0) throw unavailable()
      return 'back'
    })
    render(
      <QueryClientProvider client={createQueryClient()}>
        <ConnectionBanner />
        <Reader read={read} />
      </QueryClientProvider>,
    )

    expect(await screen.findByRole('status')).toHaveTextContent('Reconnecting…')
    expect(await screen.findByText('back')).toBeInTheDocument() // tried again by itself, more than the usual twice
    expect(screen.queryByRole('status')).not.toBeInTheDocument()
    expect(read).toHaveBeenCalledTimes(4)
  })

  it('says so when the browser is offline', async () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(false)
    render(
      <QueryClientProvider client={createQueryClient()}>
        <ConnectionBanner />
      </QueryClientProvider>,
    )
    expect(screen.getByRole('status')).toHaveTextContent("You're offline")

    onLine.mockReturnValue(true)
    act(() => void window.dispatchEvent(new Event('online')))
    expect(screen.queryByRole('status')).not.toBeInTheDocument()
  })
})

describe('shouldRetry', () => {
  it('keeps trying while the server is away, tries other server errors twice, and never a refusal', () => {
    expect(shouldRetry(50, unavailable())).toBe(true)
    expect(shouldRetry(50, new TypeError('Failed to fetch'))).toBe(true)
    expect([0, 1, 2].map((n) => shouldRetry(n, new ApiError(500, {})))).toEqual([true, true, false])
    expect(shouldRetry(0, new ApiError(404, {}))).toBe(false)
  })
})
