import { afterEach, describe, expect, it } from 'vitest'
import { configureClock, daysBetween, formatMessageTime } from './format'

afterEach(() => configureClock({}))

describe('times in the account’s time zone and clock', () => {
  // 23:30 UTC on 1 December: already 2 December in Tokyo, still 1 December in New York.
  const late = new Date('2026-12-01T23:30:00Z')
  const nextMorning = new Date('2026-12-02T10:00:00Z')

  it('counts days in the chosen zone', () => {
    configureClock({ timeZone: 'Asia/Tokyo' })
    expect(daysBetween(late, nextMorning)).toBe(0) // both on 2 December in Tokyo
    configureClock({ timeZone: 'America/New_York' })
    expect(daysBetween(late, nextMorning)).toBe(1) // 1 December, then 2 December
  })

  it('writes the clock as chosen', () => {
    configureClock({ timeZone: 'UTC', clock: 'H24' })
    expect(formatMessageTime(late.toISOString(), late)).toBe('23:30')
    configureClock({ timeZone: 'UTC', clock: 'H12' })
    expect(formatMessageTime(late.toISOString(), late)).toMatch(/^11:30\s?PM$/i)
  })

  it('says yesterday by the zone’s calendar', () => {
    configureClock({ timeZone: 'America/New_York', clock: 'H24' })
    expect(formatMessageTime(late.toISOString(), nextMorning)).toBe('Yesterday 18:30')
  })

  it('falls back to the device’s zone for a zone the browser does not know', () => {
    configureClock({ timeZone: 'Mars/Olympus_Mons', clock: 'H24' })
    expect(formatMessageTime(late.toISOString(), late)).toMatch(/^\d{2}:\d{2}$/)
  })
})
