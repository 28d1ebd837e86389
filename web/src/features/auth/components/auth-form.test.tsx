import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
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

    await userEvent.type(screen.getByLabelText(/^Password/), 'password')

    expect(await screen.findByText(/one of the most common passwords/, {}, { timeout: 5000 })).toBeInTheDocument()
  })

  it('accepts a few unrelated words', async () => {
    renderForm()

    await userEvent.type(screen.getByLabelText(/^Password/), 'violet tractor umbrella')

    expect(await screen.findByText(/(Good|Strong) password\./, {}, { timeout: 5000 })).toBeInTheDocument()
  })
})
