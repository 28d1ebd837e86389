import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { modelsKey } from '../api/models'
import { ModelPicker } from './model-picker'

function renderWith(models: { id: string; name: string; vision: boolean; premium: boolean; available: boolean }[], chosen: string | null) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } })
  client.setQueryData(modelsKey, { models, default: 'quick' })
  return render(
    <QueryClientProvider client={client}>
      <ModelPicker chatId={1} modelId={chosen} />
    </QueryClientProvider>,
  )
}

describe('ModelPicker', () => {
  it('is not there when the server offers no choice', () => {
    renderWith([], null)
    expect(screen.queryByRole('combobox')).toBeNull()
  })

  it('offers the default, the models, and shows Premium ones locked for a free user', () => {
    renderWith(
      [
        { id: 'quick', name: 'Quick', vision: false, premium: false, available: true },
        { id: 'deep', name: 'Deep', vision: true, premium: true, available: false },
      ],
      null,
    )
    const select = screen.getByRole('combobox', { name: 'Model for this chat' })
    expect(select).toHaveValue('')
    expect(screen.getByRole('option', { name: 'Default (Quick)' })).toBeInTheDocument()
    expect(screen.getByRole('option', { name: 'Deep · Premium' })).toBeDisabled()
    expect(screen.getByRole('option', { name: 'Quick' })).toBeEnabled()
  })

  it('shows the chat’s own choice', () => {
    renderWith([{ id: 'quick', name: 'Quick', vision: false, premium: false, available: true }], 'quick')
    expect(screen.getByRole('combobox')).toHaveValue('quick')
  })
})
