import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'
import { AuthPage } from './pages/auth-page'
import { ChatPage } from './pages/chat-page'

export interface Account {
  email: string
  password: string
}

export const test = base.extend<{ auth: AuthPage; chat: ChatPage; account: Account; signedIn: Account; consoleErrors: string[] }>({
  /**
   * Every journey fails on a console error or an uncaught exception, unless it expects some (a refused send, the
   * network cut on purpose): then it says which with `expectConsoleErrors(testInfo, pattern)`.
   */
  consoleErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = []
      page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} (${m.location().url})`))
      page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`))
      await use(errors)
      const allowed = testInfo.annotations.filter((a) => a.type === 'console-errors').map((a) => new RegExp(a.description ?? ''))
      expect(errors.filter((e) => !allowed.some((r) => r.test(e))), 'console errors').toEqual([])
    },
    { auto: true },
  ],
  auth: async ({ page }, use) => use(new AuthPage(page)),
  chat: async ({ page }, use) => use(new ChatPage(page)),
  account: async ({}, use, testInfo) =>
    use({ email: `e2e-${testInfo.project.name}-${Date.now()}-${testInfo.workerIndex}@example.com`, password: 'a long e2e password' }),
  /** A registered user, signed in through the API: the browser context gets the refresh cookie, then the app restores the session. */
  signedIn: async ({ page, account }, use) => {
    const response = await page.request.post('/api/auth/register', { data: account })
    expect(response.status()).toBe(201)
    await page.goto('/')
    await expect(page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
    await use(account)
  },
})

export { expect }

/** A journey that provokes errors on purpose lets through the console errors matching `pattern`. */
export function expectConsoleErrors(testInfo: import('@playwright/test').TestInfo, pattern: RegExp) {
  testInfo.annotations.push({ type: 'console-errors', description: pattern.source })
}

const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

/**
 * A screen as people see it, in light and in dark: axe-core (WCAG 2.2 AA) checks it in each scheme and the journey
 * fails on any serious or critical violation; a screenshot of each is saved under test-results/screenshots, named by
 * project, for people to look at. The page is left in the light scheme.
 */
export async function snap(page: Page, name: string, project: string) {
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    const results = await new AxeBuilder({ page }).withTags(wcag).analyze()
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n')}`)
    expect(serious, `accessibility of "${name}" in ${scheme} mode`).toEqual([])
    // Nothing wider than the screen: a phone would scroll sideways or zoom the page out.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow, `"${name}" is wider than the screen by`).toBeLessThanOrEqual(0)
    await page.screenshot({ path: `test-results/screenshots/${project}-${name}-${scheme}.png`, fullPage: false })
  }
  await page.emulateMedia({ reducedMotion: null })
}
