import type { Billing } from '../api/get-billing'
import { planSummary } from './plan-summary'

const billing = (over: Partial<Billing>): Billing => ({
  plan: 'Premium',
  subscriptionStatus: 'active',
  currentPeriodEnd: '2026-12-24T12:00:00Z',
  cancelAtPeriodEnd: false,
  graceEndsAt: null,
  canManage: true,
  testMode: false,
  paymentsAvailable: true,
  priceLabel: '$10 / month',
  ...over,
})

describe('planSummary', () => {
  it('shows the renewal date of an active subscription', () => {
    expect(planSummary(billing({}))).toMatch(/^Premium · renews on .*2026/)
  })

  it('shows the end date of a subscription cancelled at period end', () => {
    expect(planSummary(billing({ cancelAtPeriodEnd: true }))).toMatch(/^Premium until .*2026/)
  })

  it('flags a failed payment', () => {
    expect(planSummary(billing({ subscriptionStatus: 'past_due' }))).toBe('Premium · payment failed')
  })

  it('is Free without Premium', () => {
    expect(planSummary(billing({ plan: 'Free', subscriptionStatus: 'canceled' }))).toBe('Free')
  })
})
