import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { fireEvent, render, screen } from '@testing-library/react'
import { queryKeys } from '@/lib/query-client'
import type { Usage } from '../api/get-usage'
import { reportUpgradeDialog } from '../api/report-upgrade-dialog'
import { UpgradeDialog } from './upgrade-dialog'

vi.mock('../api/report-upgrade-dialog', () => ({ reportUpgradeDialog: vi.fn() }))
const reported = vi.mocked(reportUpgradeDialog)

const free: Usage = { plan: 'Free', used: 5, limit: 5, remaining: 0, windowSeconds: 86400, nextFreeAt: null, tokensUsed: 0, tokenLimit: null }

function Harness({ open, usage = free, onClose = () => {}, onUpgrade = () => {} }: { open: boolean; usage?: Usage; onClose?: () => void; onUpgrade?: () => void }) {
  return <UpgradeDialog open={open} onClose={onClose} usage={usage} onUpgrade={onUpgrade} />
}

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } })
  client.setQueryData(queryKeys.plans, { plans: [] })
  const wrap = (ui: React.ReactNode) => <QueryClientProvider client={client}>{ui}</QueryClientProvider>
  return { wrap }
}

describe('UpgradeDialog reports to the operator’s funnel', () => {
  beforeEach(() => reported.mockClear())

  it('being shown, then being closed without upgrading', () => {
    const { wrap } = setup()
    const { rerender } = render(wrap(<Harness open={false} />))
    expect(reported).not.toHaveBeenCalled()
    rerender(wrap(<Harness open />))
    expect(reported).toHaveBeenCalledExactlyOnceWith('Shown')
    rerender(wrap(<Harness open={false} />))
    expect(reported).toHaveBeenLastCalledWith('Dismissed')
    expect(reported).toHaveBeenCalledTimes(2)
  })

  it('not as dismissed when the user chose to upgrade', () => {
    const { wrap } = setup()
    const { rerender } = render(wrap(<Harness open />))
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade to Premium', hidden: true }))
    rerender(wrap(<Harness open={false} />))
    expect(reported.mock.calls).toEqual([['Shown']])
  })

  it('nothing for someone on Premium already', () => {
    const { wrap } = setup()
    const { rerender } = render(wrap(<Harness open usage={{ ...free, plan: 'Premium', remaining: 10, limit: 100 }} />))
    rerender(wrap(<Harness open={false} usage={{ ...free, plan: 'Premium', remaining: 10, limit: 100 }} />))
    expect(reported).not.toHaveBeenCalled()
  })
})
