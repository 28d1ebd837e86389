import { readFile } from 'node:fs/promises'
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test'
import { MESSAGE_LIMIT } from '../playwright.config'
import { expect, snap, test } from './fixtures'
import { setRole } from './operator'

/** A customer somewhere else: signs up, uses up the free messages, is refused one more, sees the upgrade dialog. */
async function customerAtTheLimit(baseURL: string, project: string): Promise<{ email: string; context: APIRequestContext }> {
  const email = `customer-${project}-${Date.now()}@example.com`
  const context = await playwrightRequest.newContext({ baseURL })
  const session = (await (await context.post('/api/auth/register', { data: { email, password: 'a long e2e password' } })).json()) as { accessToken: string }
  const headers = { Authorization: `Bearer ${session.accessToken}` }
  const chat = (await (await context.post('/api/chats', { headers, data: {} })).json()) as { id: number }
  for (let i = 0; i < MESSAGE_LIMIT; i++) {
    expect((await context.post(`/api/chats/${chat.id}/messages`, { headers, data: { content: `question ${i}` } })).status()).toBe(200)
  }
  expect((await context.post(`/api/chats/${chat.id}/messages`, { headers, data: { content: 'one more' } })).status()).toBe(402)
  expect((await context.post('/api/analytics/upgrade-dialog', { headers, data: { event: 'Shown' } })).status()).toBe(204)
  return { email, context }
}

test('an admin reads the dashboard for a range, downloads its tables as CSV, and acts on a user, each action in the audit log', async ({ page, chat, signedIn: admin, baseURL }, testInfo) => {
  const project = testInfo.project.name
  const { email: customer, context } = await customerAtTheLimit(baseURL!, project)
  setRole(admin.email, 'admin')
  await page.reload() // the session now says admin: the menu shows the way in

  await chat.sidebar()
  await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: /plan$/ }).click()
  await page.getByRole('menuitem', { name: 'Admin' }).click()
  await expect(page).toHaveURL(/\/admin$/)
  await expect(page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible()

  // The last 30 days by default, in the operator's time zone; today's figures counted live.
  await expect(page.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByText(/days in UTC/)).toBeVisible()
  const messages = page.getByText('Messages', { exact: true }).locator('..')
  await expect(messages.locator('dd').first()).not.toHaveText('0')
  const funnel = page.getByRole('region', { name: 'Upgrade funnel' })
  const reached = funnel.getByRole('row', { name: /Reached the limit/ })
  await expect(reached).toBeVisible()
  expect(Number((await reached.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''))).toBeGreaterThanOrEqual(1) // "Users: 2" on a phone
  await expect(page.getByRole('img', { name: /Messages per day, 30 days/ })).toBeVisible()
  const models = page.getByRole('region', { name: 'Models' })
  await expect(models.getByRole('row', { name: /built-in/ })).toBeVisible()
  await snap(page, 'admin-dashboard', project)

  // Seven days, then a custom range of one day.
  await page.getByRole('button', { name: '7 days' }).click()
  await expect(page.getByRole('img', { name: /Messages per day, 7 days/ })).toBeVisible()
  await page.getByRole('button', { name: 'Custom' }).click()
  const today = (await page.getByText(/ to \d{4}-\d{2}-\d{2}, days in/).innerText()).match(/to (\d{4}-\d{2}-\d{2})/)![1]!
  await page.getByLabel('From', { exact: true }).fill(today)
  await page.getByLabel('To', { exact: true }).fill(today)
  await page.getByRole('button', { name: 'Show', exact: true }).click()
  await expect(page.getByText(`${today} to ${today}, days in UTC`)).toBeVisible()
  await expect(page.getByRole('img', { name: /Messages per day, 1 day:/ })).toBeVisible()

  // Every table as CSV: the models table, exactly as shown.
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Download CSV of Models' }).click()
  const file = await download
  expect(file.suggestedFilename()).toBe('models.csv')
  const csv = (await readFile((await file.path())!, 'utf8')).replace(/^\uFEFF/, '')
  expect(csv.split('\r\n')[0]).toBe('Model,Replies,Error rate,Stopped,Interrupted,Tokens in,Tokens out,Estimated cost (USD),First token p50,First token p95,Thumbs up,Thumbs down,Liked')
  expect(csv).toMatch(/\r\nbuilt-in,\d+,/)

  // The users table: find the customer, grant Premium, disable the account.
  await page.getByRole('link', { name: 'Users' }).click()
  await page.getByLabel('Search by email').fill(customer)
  const row = page.getByTestId('admin-user').filter({ hasText: customer })
  await expect(page.getByTestId('admin-user')).toHaveCount(1)
  await expect(row).toContainText(String(MESSAGE_LIMIT))
  await snap(page, 'admin-users', project)
  await row.getByRole('button', { name: `Grant Premium for ${customer}` }).click()
  const confirm = page.getByTestId('admin-confirm')
  await expect(confirm).toContainText('Nothing is charged')
  await confirm.getByRole('button', { name: 'Grant Premium' }).click()
  await expect(row).toContainText('Premium (granted)')

  await row.getByRole('button', { name: `Disable ${customer}` }).click()
  await snap(page, 'admin-confirm-disable', project)
  await confirm.getByRole('button', { name: 'Disable' }).click()
  await expect(row.getByText('Disabled')).toBeVisible()
  // Their sessions ended at once, and they can't sign in.
  expect((await context.post('/api/auth/refresh')).status()).toBe(401)
  expect((await context.post('/api/auth/login', { data: { email: customer, password: 'a long e2e password' } })).status()).toBe(403)
  await context.dispose()

  // The audit log: who did what to whom, newest first.
  await page.getByRole('link', { name: 'Audit log' }).click()
  const log = page.getByRole('region', { name: /Audit log/ })
  const actions = log.getByRole('row').filter({ hasText: customer })
  await expect(actions).toHaveCount(2)
  await expect(actions.first()).toContainText('Disabled the account')
  await expect(actions.nth(1)).toContainText('Granted Premium')
  await expect(actions.first()).toContainText(admin.email)
  await snap(page, 'admin-audit', project)
})

test('the admin area is hidden from everyone else, and its address says it is for operators', async ({ page, chat, signedIn: account }) => {
  await chat.sidebar()
  await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: /plan$/ }).click()
  await expect(page.getByRole('menuitem', { name: 'Settings and billing' })).toBeVisible()
  await expect(page.getByRole('menuitem', { name: 'Admin' })).toHaveCount(0)
  expect((await page.request.post('/api/auth/login', { data: account })).status()).toBe(200) // a user like any other

  await page.goto('/admin')
  await expect(page.getByRole('heading', { name: 'This part of Parley is for its operators' })).toBeVisible()
  expect((await page.request.get('/api/admin/dashboard')).status()).toBe(401) // no token: the API decides, not the page
})
