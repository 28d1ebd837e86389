import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { PendingMessage } from '../api/types'
import { MessageBubble, type FilesEdit } from './message-bubble'

const message = (over: Partial<PendingMessage>): PendingMessage => ({
  id: 7,
  chatId: 1,
  role: 'User',
  content: 'hello',
  status: 'Complete',
  createdAt: '2026-01-01T00:00:00Z',
  parentId: null,
  siblings: [7],
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

  it('closes the Markdown of a reply cut short, so no stray markers show', () => {
    const { container } = render(
      <MessageBubble message={message({ role: 'Assistant', status: 'Stopped', content: "I'm Parley. _No AI model is conn" })} />,
    )

    expect(container.querySelector('em')).toHaveTextContent('No AI model is conn')
    expect(container.querySelector('.prose-chat')).not.toHaveTextContent('_')
  })

  it('shows a finished reply exactly as written', () => {
    const { container } = render(<MessageBubble message={message({ role: 'Assistant', content: 'Use 2 * 3 and a_b' })} />)

    expect(container.querySelector('.prose-chat')).toHaveTextContent('Use 2 * 3 and a_b')
  })

  it('renders assistant replies as Markdown', () => {
    const { container } = render(<MessageBubble message={message({ role: 'Assistant', content: '**42**' })} />)

    expect(container.querySelector('strong')).toHaveTextContent('42')
  })
})

describe('MessageBubble branches', () => {
  it('shows which alternative this is and moves to the others', async () => {
    const onSwitch = vi.fn()
    render(<MessageBubble message={message({ id: 8, siblings: [7, 8, 9] })} onSwitch={onSwitch} />)

    expect(screen.getByText('2 / 3')).toBeInTheDocument()
    await userEvent.click(screen.getByRole('button', { name: 'Previous version' }))
    await userEvent.click(screen.getByRole('button', { name: 'Next version' }))

    expect(onSwitch.mock.calls).toEqual([[7], [9]])
  })

  it('edits a message in place and sends the new text', async () => {
    const onEdit = vi.fn().mockResolvedValue(true)
    render(<MessageBubble message={message({ content: 'old text' })} onEdit={onEdit} />)

    await userEvent.click(screen.getByRole('button', { name: 'Edit message' }))
    const box = screen.getByRole('textbox', { name: 'Edit message' })
    await userEvent.clear(box)
    await userEvent.type(box, 'new text')
    await userEvent.click(screen.getByRole('button', { name: 'Send edit' }))

    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }), 'new text', [])
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).not.toBeInTheDocument()
  })

  it('keeps the files an edit does not take out, and may send them without text', async () => {
    const onEdit = vi.fn().mockResolvedValue(true)
    const file = (id: string, fileName: string) => ({ id, fileName }) as NonNullable<PendingMessage['attachments']>[number]
    const renderFiles = (m: PendingMessage, editing?: FilesEdit) => (
      <ul aria-label="files">
        {(m.attachments ?? []).filter((a) => !editing || editing.kept.includes(a.id)).map((a) => (
          <li key={a.id}>
            {a.fileName}
            {editing && <button type="button" onClick={() => editing.onRemove(a.id)}>{`Remove ${a.fileName}`}</button>}
          </li>
        ))}
      </ul>
    )
    render(
      <MessageBubble message={message({ content: 'look', attachments: [file('a', 'chart.png'), file('b', 'notes.md')] })} onEdit={onEdit} renderFiles={renderFiles} />,
    )

    await userEvent.click(screen.getByRole('button', { name: 'Edit message' }))
    await userEvent.click(screen.getByRole('button', { name: 'Remove chart.png' }))
    await userEvent.clear(screen.getByRole('textbox', { name: 'Edit message' }))

    expect(screen.getByRole('list', { name: 'files' })).toHaveTextContent('notes.md')
    expect(screen.getByRole('list', { name: 'files' })).not.toHaveTextContent('chart.png')
    await userEvent.click(screen.getByRole('button', { name: 'Send edit' }))
    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ id: 7 }), '', ['b'])
  })

  it('brings a refused edit back as it was typed', async () => {
    const onEdit = vi.fn().mockResolvedValue(false)
    render(<MessageBubble message={message({ content: 'old text' })} onEdit={onEdit} />)

    await userEvent.click(screen.getByRole('button', { name: 'Edit message' }))
    await userEvent.type(screen.getByRole('textbox', { name: 'Edit message' }), ' and more')
    await userEvent.click(screen.getByRole('button', { name: 'Send edit' }))

    expect(await screen.findByRole('textbox', { name: 'Edit message' })).toHaveValue('old text and more')
  })

  it('offers no Send for an edit left with neither text nor files', async () => {
    render(<MessageBubble message={message({ content: 'old text' })} onEdit={vi.fn()} />)

    await userEvent.click(screen.getByRole('button', { name: 'Edit message' }))
    await userEvent.clear(screen.getByRole('textbox', { name: 'Edit message' }))

    expect(screen.getByRole('button', { name: 'Send edit' })).toBeDisabled()
  })

  it('says an interrupted reply was cut off, keeps its text, and offers to regenerate it', async () => {
    const onRegenerate = vi.fn()
    render(<MessageBubble message={message({ role: 'Assistant', status: 'Interrupted', content: 'Half of an' })} onRegenerate={onRegenerate} />)

    expect(screen.getByText('Half of an')).toBeInTheDocument()
    expect(screen.getByTestId('interrupted')).toHaveTextContent('The text so far is kept.')
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate' }))
    expect(onRegenerate).toHaveBeenCalled()
  })

  it.each(['Interrupted', 'Stopped'] as const)('offers to continue a reply that was %s with its text', async (status) => {
    const onContinue = vi.fn()
    render(<MessageBubble message={message({ id: 9, role: 'Assistant', status, content: 'Half of an' })} onContinue={onContinue} onRegenerate={vi.fn()} />)

    await userEvent.click(screen.getByRole('button', { name: 'Continue' }))

    expect(onContinue).toHaveBeenCalledWith(expect.objectContaining({ id: 9 }))
  })

  it('offers no Continue for a whole reply or one cut off before any text', () => {
    const { rerender } = render(<MessageBubble message={message({ role: 'Assistant', content: 'an answer' })} onContinue={vi.fn()} />)
    expect(screen.queryByRole('button', { name: 'Continue' })).not.toBeInTheDocument()

    rerender(<MessageBubble message={message({ role: 'Assistant', status: 'Interrupted', content: '' })} onContinue={vi.fn()} />)
    expect(screen.queryByRole('button', { name: 'Continue' })).not.toBeInTheDocument()
  })

  it('says an interrupted reply without text was not counted', () => {
    render(<MessageBubble message={message({ role: 'Assistant', status: 'Interrupted', content: '' })} />)

    expect(screen.getByTestId('interrupted')).toHaveTextContent('This message was not counted.')
  })

  it('offers to regenerate a reply', async () => {
    const onRegenerate = vi.fn()
    render(<MessageBubble message={message({ role: 'Assistant', content: 'an answer' })} onRegenerate={onRegenerate} />)

    await userEvent.click(screen.getByRole('button', { name: 'Regenerate' }))

    expect(onRegenerate).toHaveBeenCalledOnce()
  })
})
