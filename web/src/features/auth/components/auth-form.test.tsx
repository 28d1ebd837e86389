import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { ApiError } from '@/lib/problem'
import { AuthForm } from './auth-form'

function renderForm() {
  render(
    <MemoryRouter>
      <AuthForm mode="register" onSubmit={vi.fn()} />
    </MemoryRouter>,
  )
}

describe('AuthForm password feedback', () => {
  it('says at once that a common password is too easy to guess', async () => {
    renderForm()

    await userEvent.type(screen.getByLabelText('Password'), 'password')

    expect(await screen.findByText(/one of the most common passwords/, {}, { timeout: 5000 })).toBeInTheDocument()
  })

  it('accepts a few unrelated words', async () => {
    renderForm()

    await userEvent.type(screen.getByLabelText('Password'), 'violet tractor umbrella')

    expect(await screen.findByText(/(Good|Strong) password\./, {}, { timeout: 5000 })).toBeInTheDocument()
  })
})

describe('AuthForm validation', () => {
  function renderWith(onSubmit = vi.fn(), mode: 'login' | 'register' = 'register') {
    render(
      <MemoryRouter>
        <AuthForm mode={mode} onSubmit={onSubmit} />
      </MemoryRouter>,
    )
    return onSubmit
  }

  it('says under each field what to fix, ties it to the field, and focuses the first; nothing is sent', async () => {
    const onSubmit = renderWith()
    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email')
    await userEvent.type(screen.getByLabelText('Password'), 'short')
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }))

    const email = screen.getByLabelText('Email')
    expect(email).toHaveFocus()
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription('Enter a valid email address, like name@example.com.')
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Use at least 8 characters.')
    expect(onSubmit).not.toHaveBeenCalled()
  })

  it('shows what the server says about a field under that field', async () => {
    const onSubmit = renderWith(
      vi.fn().mockRejectedValue(new ApiError(409, { type: 'https://parley.chat/problems/email-taken', detail: 'An account with this email already exists.' })),
      'login',
    )
    await userEvent.type(screen.getByLabelText('Email'), 'taken@example.com')
    await userEvent.type(screen.getByLabelText('Password'), 'whatever it is')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(onSubmit).toHaveBeenCalledWith('taken@example.com', 'whatever it is')
    expect(await screen.findByTestId('email-error')).toHaveTextContent('An account with this email already exists.')
    expect(screen.getByLabelText('Email')).toHaveFocus()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('shows other problems above the button, as an alert', async () => {
    renderWith(vi.fn().mockRejectedValue(new ApiError(401, { detail: 'The email or password is incorrect.' })), 'login')
    await userEvent.type(screen.getByLabelText('Email'), 'a@b.co')
    await userEvent.type(screen.getByLabelText('Password'), 'wrong one')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is incorrect.')
  })
})
