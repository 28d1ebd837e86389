export function describeWindow(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '24 hours' : `${seconds / 86_400} days`
  if (seconds % 3_600 === 0) return seconds === 3_600 ? 'hour' : `${seconds / 3_600} hours`
  return `${Math.round(seconds / 60)} minutes`
}

/** Where and how times are shown: the account's time zone (else the device's) and clock (else the language's). */
export interface ClockSettings {
  timeZone?: string | null
  clock?: 'Auto' | 'H12' | 'H24'
}

// Formatters are made once per setting: toLocale*String builds a new Intl.DateTimeFormat on every call, which was the
// costliest thing in rendering a chat's messages on a slow phone.
function makeFormats({ timeZone, clock }: ClockSettings = {}) {
  const zone = timeZone ? { timeZone } : {}
  const hours = clock === 'H12' ? { hourCycle: 'h12' as const } : clock === 'H24' ? { hourCycle: 'h23' as const } : {}
  return {
    time: new Intl.DateTimeFormat(undefined, { ...zone, ...hours, hour: 'numeric', minute: '2-digit' }),
    weekday: new Intl.DateTimeFormat(undefined, { ...zone, weekday: 'short' }),
    dayMonth: new Intl.DateTimeFormat(undefined, { ...zone, day: 'numeric', month: 'short' }),
    date: new Intl.DateTimeFormat(undefined, { ...zone, day: 'numeric', month: 'short', year: 'numeric' }),
    full: new Intl.DateTimeFormat(undefined, { ...zone, ...hours, dateStyle: 'full', timeStyle: 'short' }),
    month: new Intl.DateTimeFormat(undefined, { ...zone, month: 'long' }),
    monthYear: new Intl.DateTimeFormat(undefined, { ...zone, month: 'long', year: 'numeric' }),
    // The calendar day in the zone, for day maths ("yesterday" is the zone's yesterday, not the device's).
    day: new Intl.DateTimeFormat('en-US', { ...zone, year: 'numeric', month: 'numeric', day: 'numeric' }),
  }
}

let formats = makeFormats()

/** Uses the account's time zone and clock from now on (an unknown zone falls back to the device's). */
export function configureClock(settings: ClockSettings) {
  try {
    formats = makeFormats(settings)
  } catch {
    formats = makeFormats({ clock: settings.clock })
  }
}

/** The calendar day (year, month 1-12, day) of `d` in the chosen time zone. */
export function calendarDay(d: Date): { year: number; month: number; day: number } {
  const parts = Object.fromEntries(formats.day.formatToParts(d).map((p) => [p.type, p.value]))
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) }
}

/** "October", or "October 2025" when not this year: a month of the sidebar. */
export function formatMonth(d: Date, now = new Date()): string {
  return (calendarDay(d).year === calendarDay(now).year ? formats.month : formats.monthYear).format(d)
}

/** "24 Dec 2026" in the user's locale. */
export function formatDate(iso: string): string {
  return formats.date.format(new Date(iso))
}

/** "Tuesday, 1 December 2026 at 15:05": a message's time in full, for its tooltip. */
export function formatFullTime(iso: string): string {
  return formats.full.format(new Date(iso))
}

/** A message's time: "3:05 PM" today, "Yesterday 3:05 PM", "Tue 3:05 PM" this week, else "24 Nov, 3:05 PM". */
export function formatMessageTime(iso: string, now = new Date()): string {
  const date = new Date(iso)
  const time = formats.time.format(date)
  const days = daysBetween(date, now)
  if (days === 0) return time
  if (days === 1) return `Yesterday ${time}`
  if (days > 1 && days < 7) return `${formats.weekday.format(date)} ${time}`
  return `${(calendarDay(date).year === calendarDay(now).year ? formats.dayMonth : formats.date).format(date)}, ${time}`
}

/** Calendar days from `from` to `to` in the user's time zone (0 for the same day, 1 for the next). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDay(to) - startOfDay(from)) / 86_400_000)
}

const startOfDay = (d: Date) => {
  const { year, month, day } = calendarDay(d)
  return Date.UTC(year, month - 1, day)
}

/**
 * When something happens, as a phrase that reads after "one more": "at 3:05 PM", "at 3:05 PM tomorrow",
 * "on Thu at 3:05 PM" within a week, else "on 24 Dec at 3:05 PM". In the user's locale and time zone.
 */
export function formatWhen(iso: string, now = new Date()): string {
  const date = new Date(iso)
  const time = formats.time.format(date)
  const days = daysBetween(now, date)
  if (days <= 0) return `at ${time}`
  if (days === 1) return `at ${time} tomorrow`
  if (days < 7) return `on ${formats.weekday.format(date)} at ${time}`
  return `on ${formats.dayMonth.format(date)} at ${time}`
}
