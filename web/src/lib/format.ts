export function describeWindow(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '24 hours' : `${seconds / 86_400} days`
  if (seconds % 3_600 === 0) return seconds === 3_600 ? 'hour' : `${seconds / 3_600} hours`
  return `${Math.round(seconds / 60)} minutes`
}

/** "24 Dec 2026" in the user's locale. */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
}

/** A message's time: "3:05 PM" today, "Yesterday 3:05 PM", "Tue 3:05 PM" this week, else "24 Nov, 3:05 PM". */
export function formatMessageTime(iso: string, now = new Date()): string {
  const date = new Date(iso)
  const time = date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000)
  if (days === 0) return time
  if (days === 1) return `Yesterday ${time}`
  if (days > 1 && days < 7) return `${date.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`
  const sameYear = date.getFullYear() === now.getFullYear()
  return `${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) })}, ${time}`
}

const startOfDay = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()

/**
 * When something happens, as a phrase that reads after "one more": "at 3:05 PM", "at 3:05 PM tomorrow",
 * "on Thu at 3:05 PM" within a week, else "on 24 Dec at 3:05 PM". In the user's locale and time zone.
 */
export function formatWhen(iso: string, now = new Date()): string {
  const date = new Date(iso)
  const time = date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
  const days = Math.round((startOfDay(date) - startOfDay(now)) / 86_400_000)
  if (days <= 0) return `at ${time}`
  if (days === 1) return `at ${time} tomorrow`
  if (days < 7) return `on ${date.toLocaleDateString(undefined, { weekday: 'short' })} at ${time}`
  return `on ${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} at ${time}`
}
