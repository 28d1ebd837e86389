import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { Composer } from './composer'

function Harness({ onSend, sending = false, maxLength = 100 }: { onSend: (t: string) => void; sending?: boolean; maxLength?: number }) {
  const [value, setValue] = useState('')
  return <Composer value={value} onChange={setValue} onSend={onSend} sending={sending} maxLength={maxLength} />
}

describe('Composer', () => {
  it('sends on Enter with the text trimmed', async () => {
    const onSend = vi.fn()
    render(<Harness onSend={onSend} />)

    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), '  hello  {Enter}')

    expect(onSend).toHaveBeenCalledWith('hello')
  })

  it('makes a new line on Shift+Enter instead of sending', async () => {
    const onSend = vi.fn()
    render(<Harness onSend={onSend} />)
    const box = screen.getByRole('textbox', { name: 'Message' })

    await userEvent.type(box, 'one{Shift>}{Enter}{/Shift}two')

    expect(onSend).not.toHaveBeenCalled()
    expect(box).toHaveValue('one\ntwo')
  })

  it('does not send empty or whitespace-only text', async () => {
    const onSend = vi.fn()
    render(<Harness onSend={onSend} />)

    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), '   {Enter}')

    expect(onSend).not.toHaveBeenCalled()
    expect(screen.getByRole('button', { name: 'Send message' })).toBeDisabled()
  })

  it('does not send while a reply is on its way', async () => {
    const onSend = vi.fn()
    render(<Harness onSend={onSend} sending />)

    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'again{Enter}')

    expect(onSend).not.toHaveBeenCalled()
    expect(screen.getByRole('button', { name: 'Sending' })).toBeDisabled()
  })

  it('shows a counter near the limit and refuses text over it', async () => {
    const onSend = vi.fn()
    render(<Harness onSend={onSend} maxLength={10} />)

    await userEvent.type(screen.getByRole('textbox', { name: 'Message' }), 'abcdefghijk{Enter}')

    expect(screen.getByTestId('char-count')).toHaveTextContent('11 / 10')
    expect(onSend).not.toHaveBeenCalled()
  })
})
