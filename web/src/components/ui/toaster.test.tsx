import { act, fireEvent, render, screen } from '@testing-library/react'
import { Toaster, toast } from './toaster'

describe('Toaster', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('closes a toast after its time', () => {
    render(<Toaster />)
    act(() => void toast('Chat deleted', { duration: 5000 }))

    expect(screen.getByTestId('toast')).toHaveTextContent('Chat deleted')
    act(() => vi.advanceTimersByTime(5001))
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument()
  })

  it('stays while its Undo has focus, and runs its time again once focus leaves', () => {
    render(<Toaster />)
    const undo = vi.fn()
    act(() => void toast('Chat deleted', { duration: 5000, action: { label: 'Undo', onClick: undo } }))

    act(() => screen.getByRole('button', { name: 'Undo' }).focus())
    act(() => vi.advanceTimersByTime(60_000))
    expect(screen.getByTestId('toast')).toBeInTheDocument()

    act(() => screen.getByRole('button', { name: 'Undo' }).blur())
    act(() => vi.advanceTimersByTime(5001))
    expect(screen.queryByTestId('toast')).not.toBeInTheDocument()
  })

  it('stays while the pointer is on it', () => {
    render(<Toaster />)
    act(() => void toast('Saved', { duration: 5000 }))

    fireEvent.pointerEnter(screen.getByTestId('toast'))
    act(() => vi.advanceTimersByTime(20_000))
    expect(screen.getByTestId('toast')).toBeInTheDocument()
  })
})
