import { configureClock } from './format'
import type { User } from './session'

export type Theme = User['theme']

declare global {
  interface Window {
    /** Set by public/theme-boot.js: applies the theme remembered on this device. */
    __parleyApplyTheme?: () => void
  }
}

/** Remembers the theme on this device (so the next page load paints it at once) and applies it now. */
export function applyTheme(theme: Theme | undefined) {
  try {
    if (!theme || theme === 'System') localStorage.removeItem('parley-theme')
    else localStorage.setItem('parley-theme', theme)
  } catch {
    // storage blocked: the theme applies to this page only
  }
  window.__parleyApplyTheme?.()
}

/** The account's display preferences, from its session: theme, time zone and clock. */
export function applyPreferences(user: Pick<User, 'theme' | 'timeZone' | 'clock'>) {
  applyTheme(user.theme)
  configureClock({ timeZone: user.timeZone, clock: user.clock })
}
