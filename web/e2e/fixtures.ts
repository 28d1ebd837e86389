import { test as base, expect } from '@playwright/test'
import { AuthPage } from './pages/auth-page'
import { ChatPage } from './pages/chat-page'

export interface Account {
  email: string
  password: string
}

export const test = base.extend<{ auth: AuthPage; chat: ChatPage; account: Account; signedIn: Account }>({
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

/** Saves a screenshot under test-results/screenshots, named by project, for people to look at. */
export async function snap(page: import('@playwright/test').Page, name: string, project: string) {
  await page.screenshot({ path: `test-results/screenshots/${project}-${name}.png`, fullPage: false })
}
