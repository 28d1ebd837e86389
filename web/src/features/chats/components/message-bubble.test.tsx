import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { PendingMessage } from '../api/types'
import { MessageBubble } from './message-bubble'

const message = (over: Partial<PendingMessage>): PendingMessage => ({
  id: 7,
  chatId: 1,
  role: 'User',
  content: 'hello',
  status: 'Complete',
  createdAt: '2026-01-01T00:00:00Z',
  inputTokens: null,
  outputTokens: null,
  ...over,
})

describe('MessageBubble', () => {
  it('shows a failed reply with a retry action', async () => {
    const onRetry = vi.fn()
    render(<MessageBubble message={message({ status: 'ReplyFailed' })} onRetry={onRetry} />)

    expect(screen.getByRole('alert')).toHaveTextContent('The reply failed. This message was not counted.')
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }))

    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }))
  })

  it('shows user text verbatim, markup included', () => {
    const { container } = render(<MessageBubble message={message({ content: '<b>not bold</b>' })} />)

    expect(container).toHaveTextContent('<b>not bold</b>')
    expect(container.querySelector('b')).toBeNull()
  })

  it('renders assistant replies as Markdown', () => {
    const { container } = render(<MessageBubble message={message({ role: 'Assistant', content: '**42**' })} />)

    expect(container.querySelector('strong')).toHaveTextContent('42')
  })
})
