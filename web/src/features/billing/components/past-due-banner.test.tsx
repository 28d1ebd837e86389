import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Billing } from '../api/get-billing'
import { PastDueBanner } from './past-due-banner'

const billing = (over: Partial<Billing>): Billing => ({
  plan: 'Premium',
  subscriptionStatus: 'past_due',
  currentPeriodEnd: '2026-12-24T12:00:00Z',
  cancelAtPeriodEnd: false,
  graceEndsAt: '2026-12-27T12:00:00Z',
  canManage: true,
  testMode: false,
  paymentsAvailable: true,
  priceLabel: '$10 / month',
  ...over,
})

describe('PastDueBanner', () => {
  it('asks to update the card by the end of the grace period', async () => {
    const onUpdateCard = vi.fn()
    render(<PastDueBanner billing={billing({})} busy={false} onUpdateCard={onUpdateCard} />)

    expect(screen.getByRole('alert')).toHaveTextContent(/Update your card by .*2026 to keep Premium/)
    await userEvent.click(screen.getByRole('button', { name: 'Update card' }))
    expect(onUpdateCard).toHaveBeenCalledOnce()
  })

  it('is not shown for a healthy subscription', () => {
    const { container } = render(<PastDueBanner billing={billing({ subscriptionStatus: 'active', graceEndsAt: null })} busy={false} onUpdateCard={() => {}} />)
    expect(container).toBeEmptyDOMElement()
  })
})
