import { formatWhen } from '@/lib/format'
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

/**
 * "12 of 20 messages left · one more at 2:32 PM", plus the tokens when the plan limits them. Worded so it can't be
 * read as something due: a message frees up then (the window slides), nothing is charged or reset.
 */
export function meterText(usage: Usage, now = new Date()): string {
  return meterTexts(usage, now).full
}

/** The meter's words, and a shorter form without "messages" that keeps it on one line on a 360 px phone. */
function meterTexts(usage: Usage, now: Date): { full: string; short: string } {
  const tokens = usage.tokenLimit != null ? ` · ${usage.tokensUsed.toLocaleString()} of ${usage.tokenLimit.toLocaleString()} tokens used` : ''
  const [full, short] = messagesTexts(usage, now)
  return { full: full + tokens, short: short + tokens }
}

function messagesTexts(usage: Usage, now: Date): [string, string] {
  if (usage.remaining === 0 && usage.limit == null) return ['No tokens left', 'No tokens left']
  if (usage.limit == null || usage.remaining == null) return [`${usage.plan} · unlimited messages`, `${usage.plan} · unlimited`]
  const next = usage.nextFreeAt ? ` · one more ${formatWhen(usage.nextFreeAt, now)}` : ''
  if (usage.remaining <= 0) return [`No messages left${next}`, `None left${next}`]
  const after = usage.remaining < usage.limit ? next : ''
  return [`${usage.remaining} of ${usage.limit} messages left${after}`, `${usage.remaining} of ${usage.limit} left${after}`]
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
  const texts = meterTexts(usage, new Date())
  const share = usage.limit ? Math.max(0, Math.min(1, (usage.remaining ?? 0) / usage.limit)) : 1
  return (
    <div data-testid="usage-meter" data-state={state} className="flex min-w-0 items-center gap-3 text-xs max-sm:gap-2" aria-live="polite">
      {state !== 'unlimited' && (
        <div className="h-1.5 w-20 shrink-0 max-sm:hidden overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" aria-hidden>
          <div className={`h-full ${bar[state]} transition-[width]`} style={{ width: `${share * 100}%` }} />
        </div>
      )}
      <span className={`min-w-0 truncate ${tone[state]}`}>
        <span className="max-sm:hidden">{texts.full}</span>
        <span className="sm:hidden">{texts.short}</span>
      </span>
      {(state === 'warning' || state === 'exhausted') && (
        <button
          type="button"
          onClick={onUpgrade}
          className="font-medium whitespace-nowrap text-accent-700 underline-offset-2 hover:underline dark:text-accent-300"
        >
          Upgrade
        </button>
      )}
    </div>
  )
}
