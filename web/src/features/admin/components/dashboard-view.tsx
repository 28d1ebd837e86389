import { useMemo, useState, type FormEvent } from 'react'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { inputClass } from '@/components/ui/input-class'
import { errorMessage } from '@/lib/problem'
import { useDashboard, type Dashboard, type DashboardDay, type DashboardModel, type DashboardRange } from '../api/dashboard'
import { DataTable, type Column } from './data-table'
import { LineChart } from './line-chart'

const colors = { blue: '#3b82f6', violet: '#8b5cf6', amber: '#f59e0b', red: '#ef4444', emerald: '#10b981', zinc: '#71717a' }
const presets = [7, 30, 90] as const

const number = (n: number) => n.toLocaleString()
const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`)

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null) return '—'
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  return `${Math.round(hours / 24)} days`
}

function money(cents: number, currency: string) {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100)
}

/** The operator's dashboard: a range of days, headline figures, charts, and every table downloadable as CSV. */
export function DashboardView() {
  const [range, setRange] = useState<DashboardRange>({ days: 30 })
  const [custom, setCustom] = useState(false)
  const dashboard = useDashboard(range)
  const d = dashboard.data

  return (
    <div>
      <RangePicker range={range} custom={custom} onCustom={setCustom} onChange={setRange} current={d} />
      {dashboard.isError && !d && (
        <p role="alert" className="mt-6 rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
          {errorMessage(dashboard.error)}{' '}
          <button type="button" className="font-medium underline" onClick={() => dashboard.refetch()}>Try again</button>
        </p>
      )}
      {dashboard.isError && d && (
        <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">{errorMessage(dashboard.error)} These are the figures shown before.</p>
      )}
      {!d && !dashboard.isError && <DashboardSkeleton />}
      {d && <Figures d={d} updating={dashboard.isFetching} />}
    </div>
  )
}

/** One button of the range's segmented control, dark when chosen. */
const segment = (chosen: boolean) =>
  `rounded-md px-3 py-1.5 text-sm ${chosen ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800'}`

function RangePicker({ range, custom, onCustom, onChange, current }: {
  range: DashboardRange
  custom: boolean
  onCustom: (on: boolean) => void
  onChange: (range: DashboardRange) => void
  current?: Dashboard
}) {
  const [error, setError] = useState<string>()
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const from = String(form.get('from') ?? '')
    const to = String(form.get('to') ?? '')
    if (!from || !to) return setError('Choose both days.')
    if (from > to) return setError('The first day comes after the last one.')
    setError(undefined)
    onChange({ from, to })
  }
  const chosen = 'days' in range && !custom ? range.days : 'custom'
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div role="group" aria-label="Range" className="inline-flex rounded-lg border border-zinc-300 p-0.5 dark:border-zinc-700">
        {presets.map((days) => (
          <button key={days} type="button" aria-pressed={chosen === days} onClick={() => (onCustom(false), onChange({ days }))} className={segment(chosen === days)}>
            {days} days
          </button>
        ))}
        <button type="button" aria-pressed={chosen === 'custom'} onClick={() => onCustom(true)} className={segment(chosen === 'custom')}>
          Custom
        </button>
      </div>
      {custom && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
          <label className="text-xs text-zinc-600 dark:text-zinc-400">From
            <input name="from" type="date" defaultValue={current?.from} className={`${inputClass(!!error)} mt-1 block w-40`} />
          </label>
          <label className="text-xs text-zinc-600 dark:text-zinc-400">To
            <input name="to" type="date" defaultValue={current?.to} className={`${inputClass(!!error)} mt-1 block w-40`} />
          </label>
          <Button type="submit">Show</Button>
          {error && <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">{error}</p>}
        </form>
      )}
      {current && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400 sm:ml-auto">
          {current.from} to {current.to}, days in {current.timeZone}
        </p>
      )}
    </div>
  )
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="rounded-2xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight tabular-nums">{value}</dd>
      {hint && <dd className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">{hint}</dd>}
    </div>
  )
}

function Figures({ d, updating }: { d: Dashboard; updating: boolean }) {
  const days = useMemo(() => d.days.map((x) => x.day), [d])
  const series = useMemo(() => {
    const of = (pick: (x: DashboardDay) => number) => d.days.map(pick)
    return {
      active: [{ label: 'Active users', values: of((x) => x.activeUsers), color: colors.blue }],
      messages: [
        { label: 'Free', values: of((x) => x.freeMessages), color: colors.zinc },
        { label: 'Premium', values: of((x) => x.premiumMessages), color: colors.violet },
      ],
      signUps: [{ label: 'Sign-ups', values: of((x) => x.signUps), color: colors.emerald }],
      limits: [
        { label: 'Limit hits', values: of((x) => x.limitHits), color: colors.amber },
        { label: 'Users at the limit', values: of((x) => x.usersAtLimit), color: colors.red },
      ],
      trouble: [
        { label: 'Failed', values: of((x) => x.repliesFailed), color: colors.red },
        { label: 'Stopped', values: of((x) => x.repliesStopped), color: colors.amber },
        { label: 'Interrupted', values: of((x) => x.repliesInterrupted), color: colors.zinc },
      ],
    }
  }, [d])
  const sum = (pick: (x: DashboardDay) => number) => d.days.reduce((a, x) => a + pick(x), 0)
  const s = d.subscriptions
  const f = d.funnel
  const funnel = [
    { step: 'Reached the limit', users: f.limitReached },
    { step: 'Saw the upgrade dialog', users: f.dialogShown },
    { step: 'Started a checkout', users: f.checkoutStarted },
    { step: 'Paid', users: f.paid },
  ]

  return (
    <div aria-busy={updating} className={`transition-opacity ${updating ? 'opacity-70' : ''}`}>
      <dl className="mt-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Weekly active users" value={number(d.weeklyActiveUsers)} hint={`Monthly: ${number(d.monthlyActiveUsers)}`} />
        <Stat label="Messages" value={number(sum((x) => x.freeMessages + x.premiumMessages))} hint={`${number(sum((x) => x.premiumMessages))} on Premium`} />
        <Stat label="Active subscriptions" value={number(s.active)} hint={`${number(s.pastDue)} past due`} />
        <Stat label="Monthly recurring revenue" value={money(s.monthlyRecurringRevenueCents, s.currency)} hint={`${number(s.new)} new, ${number(s.cancelled)} cancelled`} />
      </dl>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <LineChart title="Active users per day" days={days} series={series.active} totals={false} />
        <LineChart title="Messages per day" days={days} series={series.messages} />
        <LineChart title="Limit reached" days={days} series={series.limits} />
        <LineChart title="Replies that did not complete" days={days} series={series.trouble} />
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <DataTable title="Upgrade funnel" file="funnel" rows={funnel} rowKey={(r) => r.step} columns={[
          { header: 'Step', value: (r) => r.step },
          { header: 'Users', value: (r) => r.users, numeric: true },
          { header: 'Of those at the limit', value: (r) => percent(r.users, f.limitReached), numeric: true },
          { header: 'Of the step before', value: (r) => { const i = funnel.indexOf(r); return i === 0 ? '' : percent(r.users, funnel[i - 1]!.users) }, numeric: true },
        ]} empty="Nobody reached the limit in this range." stackOnPhone />
        <div className="grid gap-3 content-start">
          <dl className="grid grid-cols-2 gap-3">
            <Stat label="Median time from limit to paid" value={formatDuration(f.medianSecondsToPaid)} />
            <Stat label="Sign-ups" value={number(sum((x) => x.signUps))} />
          </dl>
          <LineChart title="Sign-ups per day" days={days} series={series.signUps} />
        </div>
      </div>

      <div className="mt-6">
        <DataTable title="Models" file="models" rows={d.models} rowKey={(m) => m.model} columns={modelColumns(s.currency)} empty="No replies in this range." />
      </div>

      <div className="mt-6">
        <DataTable title="Day by day" file="days" rows={[...d.days].reverse()} rowKey={(x) => x.day} columns={dayColumns} />
      </div>
    </div>
  )
}

const ms = (value: number | null | undefined) => (value == null ? null : value >= 60_000 ? '> 30 s' : value >= 1000 ? `≤ ${value / 1000} s` : `≤ ${value} ms`)

function modelColumns(currency: string): Column<DashboardModel>[] {
  return [
    { header: 'Model', value: (m) => m.model },
    { header: 'Replies', value: (m) => m.replies, numeric: true },
    { header: 'Error rate', value: (m) => percent(m.failed, m.replies), numeric: true },
    { header: 'Stopped', value: (m) => m.stopped, numeric: true },
    { header: 'Interrupted', value: (m) => m.interrupted, numeric: true },
    { header: 'Tokens in', value: (m) => m.inputTokens, render: (m) => number(m.inputTokens), numeric: true },
    { header: 'Tokens out', value: (m) => m.outputTokens, render: (m) => number(m.outputTokens), numeric: true },
    {
      header: `Estimated cost (${currency.toUpperCase()})`, value: (m) => m.estimatedCost,
      render: (m) => (m.estimatedCost == null ? <span title="Set MODEL_PRICES to estimate it">no price</span> : money(Math.round(m.estimatedCost * 100), currency)),
      numeric: true,
    },
    { header: 'First token p50', value: (m) => ms(m.firstTokenP50Ms), numeric: true },
    { header: 'First token p95', value: (m) => ms(m.firstTokenP95Ms), numeric: true },
    { header: 'Thumbs up', value: (m) => m.feedbackUp, numeric: true },
    { header: 'Thumbs down', value: (m) => m.feedbackDown, numeric: true },
    { header: 'Liked', value: (m) => percent(m.feedbackUp, m.feedbackUp + m.feedbackDown), numeric: true },
  ]
}

const dayColumns: Column<DashboardDay>[] = [
  { header: 'Day', value: (x) => x.day },
  { header: 'Active users', value: (x) => x.activeUsers, numeric: true },
  { header: 'Sign-ups', value: (x) => x.signUps, numeric: true },
  { header: 'Free messages', value: (x) => x.freeMessages, numeric: true },
  { header: 'Premium messages', value: (x) => x.premiumMessages, numeric: true },
  { header: 'Failed', value: (x) => x.repliesFailed, numeric: true },
  { header: 'Stopped', value: (x) => x.repliesStopped, numeric: true },
  { header: 'Interrupted', value: (x) => x.repliesInterrupted, numeric: true },
  { header: 'Users at limit', value: (x) => x.usersAtLimit, numeric: true },
  { header: 'Limit hits', value: (x) => x.limitHits, numeric: true },
  { header: 'Upgrade dialogs', value: (x) => x.upgradeShown, numeric: true },
  { header: 'Checkouts', value: (x) => x.checkoutStarted, numeric: true },
  { header: 'New subscriptions', value: (x) => x.newSubscriptions, numeric: true },
  { header: 'Cancelled', value: (x) => x.cancelled, numeric: true },
  { header: 'Past due', value: (x) => x.pastDue, numeric: true },
]

function DashboardSkeleton() {
  return (
    <div className="mt-6 grid grid-cols-2 gap-3 lg:grid-cols-4" aria-label="Loading the dashboard" role="status">
      {Array.from({ length: 4 }, (_, i) => <Skeleton key={i} className="h-24 rounded-2xl" />)}
    </div>
  )
}
