import { formatResetTime } from '@/lib/format'
import type { Usage } from '../api/get-usage'

/** Share of the limit at or below which the meter warns. */
export const WARNING_SHARE = 0.2

export type MeterState = 'unlimited' | 'ok' | 'warning' | 'exhausted'

export function meterState(usage: Usage): MeterState {
  if (usage.remaining === 0) return 'exhausted'
  if (usage.tokenLimit != null && usage.tokensUsed >= usage.tokenLimit * (1 - WARNING_SHARE)) return 'warning'
  if (usage.limit == null || usage.remaining == null) return 'unlimited'
  if (usage.remaining <= 0) return 'exhausted'
  return usage.remaining <= usage.limit * WARNING_SHARE ? 'warning' : 'ok'
}

/** "12 of 20 left · next at 14:32", plus the tokens when the plan limits them. */
export function meterText(usage: Usage, now = new Date()): string {
  const tokens = usage.tokenLimit != null ? ` · ${usage.tokensUsed.toLocaleString()} of ${usage.tokenLimit.toLocaleString()} tokens used` : ''
  return messagesText(usage, now) + tokens
}

function messagesText(usage: Usage, now: Date): string {
  if (usage.remaining === 0 && usage.limit == null) return 'No tokens left'
  if (usage.limit == null || usage.remaining == null) return `${usage.plan} · unlimited messages`
  const next = usage.nextFreeAt ? formatResetTime(usage.nextFreeAt, now) : null
  if (usage.remaining <= 0) return next ? `No messages left · next at ${next}` : 'No messages left'
  const left = `${usage.remaining} of ${usage.limit} left`
  return next && usage.remaining < usage.limit ? `${left} · next at ${next}` : left
}

const tone: Record<MeterState, string> = {
  unlimited: 'text-zinc-500 dark:text-zinc-400',
  ok: 'text-zinc-500 dark:text-zinc-400',
  warning: 'text-amber-700 dark:text-amber-400',
  exhausted: 'text-red-700 dark:text-red-400',
}

const bar: Record<MeterState, string> = {
  unlimited: 'bg-accent-500',
  ok: 'bg-accent-500',
  warning: 'bg-amber-500',
  exhausted: 'bg-red-500',
}

export function UsageMeter({ usage, onUpgrade }: { usage: Usage; onUpgrade: () => void }) {
  const state = meterState(usage)
  const share = usage.limit ? Math.max(0, Math.min(1, (usage.remaining ?? 0) / usage.limit)) : 1
  return (
    <div data-testid="usage-meter" data-state={state} className="flex items-center gap-3 text-xs" aria-live="polite">
      {state !== 'unlimited' && (
        <div className="h-1.5 w-20 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" aria-hidden>
          <div className={`h-full ${bar[state]} transition-[width]`} style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <span className={tone[state]}>{meterText(usage)}</span>
      {(state === 'warning' || state === 'exhausted') && (
        <button
          type="button"
          onClick={onUpgrade}
          className="font-medium text-accent-600 underline-offset-2 hover:underline dark:text-accent-500"
        >
          Upgrade
        </button>
      )}
    </div>
  )
}
