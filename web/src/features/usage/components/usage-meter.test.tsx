import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Usage } from '../api/get-usage'
import { meterState, meterText, UsageMeter } from './usage-meter'

const now = new Date('2026-03-10T12:00:00')
const usage = (over: Partial<Usage>): Usage => ({
  plan: 'Free',
  used: 0,
  limit: 20,
  remaining: 20,
  windowSeconds: 86_400,
  nextFreeAt: null,
  tokensUsed: 0,
  tokenLimit: null,
  ...over,
})

describe('meterText', () => {
  it('says how many are left of how many', () => {
    expect(meterText(usage({}), now)).toBe('20 of 20 messages left')
  })

  it('adds when the next message frees up once some are used', () => {
    const text = meterText(usage({ used: 8, remaining: 12, nextFreeAt: new Date('2026-03-10T14:32:00').toISOString() }), now)
    expect(text).toMatch(/^12 of 20 messages left · one more at (14:32|2:32 PM)$/)
  })

  it('says none are left at the limit', () => {
    const text = meterText(usage({ used: 20, remaining: 0, nextFreeAt: new Date('2026-03-11T09:00:00').toISOString() }), now)
    expect(text).toMatch(/^No messages left · one more at (09:00|9:00 AM) tomorrow$/)
  })

  it('says the day when it is not today or tomorrow', () => {
    const text = meterText(usage({ used: 20, remaining: 0, nextFreeAt: new Date('2026-03-13T09:00:00').toISOString() }), now)
    expect(text).toMatch(/^No messages left · one more on Fri at /)
  })

  it('describes unlimited plans', () => {
    expect(meterText(usage({ plan: 'Premium', limit: null, remaining: null }), now)).toBe('Premium · unlimited messages')
  })
})

describe('token limits', () => {
  it('shows the tokens used when the plan limits them', () => {
    expect(meterText(usage({ tokensUsed: 1200, tokenLimit: 5000 }), now)).toBe('20 of 20 messages left · 1,200 of 5,000 tokens used')
  })

  it('warns near the token limit and is exhausted at it', () => {
    expect(meterState(usage({ tokensUsed: 4100, tokenLimit: 5000 }))).toBe('warning')
    expect(meterState(usage({ tokensUsed: 5000, tokenLimit: 5000, remaining: 0 }))).toBe('exhausted')
  })
})

describe('meterState', () => {
  it.each([
    [20, 'ok'],
    [5, 'ok'],
    [4, 'warning'],
    [1, 'warning'],
    [0, 'exhausted'],
  ] as const)('with %i of 20 left is %s', (remaining, state) => {
    expect(meterState(usage({ remaining, used: 20 - remaining }))).toBe(state)
  })

  it('is unlimited without a limit', () => {
    expect(meterState(usage({ limit: null, remaining: null }))).toBe('unlimited')
  })
})

describe('UsageMeter', () => {
  it('offers an upgrade when little is left', async () => {
    const onUpgrade = vi.fn()
    render(<UsageMeter usage={usage({ remaining: 2, used: 18 })} onUpgrade={onUpgrade} />)

    await userEvent.click(screen.getByRole('button', { name: 'Upgrade' }))

    expect(onUpgrade).toHaveBeenCalledOnce()
    expect(screen.getByTestId('usage-meter')).toHaveAttribute('data-state', 'warning')
  })

  it('stays quiet when plenty is left', () => {
    render(<UsageMeter usage={usage({ remaining: 15, used: 5 })} onUpgrade={() => {}} />)
    expect(screen.queryByRole('button', { name: 'Upgrade' })).toBeNull()
  })
})
