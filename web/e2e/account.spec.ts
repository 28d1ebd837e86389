import { request as playwrightRequest } from '@playwright/test'
import { expect, expectConsoleErrors, snap, test } from './fixtures'

const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'

test('the security settings list signed-in devices, sign one out at once, and change the password', async ({ page, signedIn: account, baseURL }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 400/) // the wrong current password, refused on purpose
  // The same account signed in on another computer.
  const laptop = await playwrightRequest.newContext({ baseURL, userAgent: firefox })
  const signIn = await laptop.post('/api/auth/login', { data: account })
  const { accessToken } = (await signIn.json()) as { accessToken: string }
  const asLaptop = { headers: { Authorization: `Bearer ${accessToken}` } }
  expect((await laptop.get('/api/auth/me', asLaptop)).status()).toBe(200)

  await page.goto('/account')
  const devices = page.getByRole('list', { name: 'Signed-in devices' }).getByTestId('session')
  await expect(devices).toHaveCount(2)
  await expect(devices.first()).toContainText('This device')
  await expect(devices.filter({ hasText: 'Firefox on Windows' })).toHaveCount(1)
  await snap(page, 'settings-security', testInfo.project.name)

  await page.getByRole('button', { name: 'Sign out Firefox on Windows' }).click()
  await expect(devices).toHaveCount(1)
  expect((await laptop.get('/api/auth/me', asLaptop)).status()).toBe(401) // at once, not when its token expires
  expect((await laptop.post('/api/auth/refresh')).status()).toBe(401)
  await laptop.dispose()

  // A wrong current password changes nothing and says so by the field.
  const current = page.getByLabel('Current password')
  const next = page.getByLabel('New password')
  await current.fill('not my password')
  await next.fill('a brand new passphrase 2026')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByText('Your current password is not right. Nothing was changed.')).toBeVisible()
  await expect(current).toHaveAttribute('aria-invalid', 'true')

  await current.fill(account.password)
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible()
  await expect(current).toHaveValue('')

  // This device stays signed in; the new password is the one that works.
  await page.reload()
  await expect(devices).toHaveCount(1)
  const fresh = await playwrightRequest.newContext({ baseURL })
  expect((await fresh.post('/api/auth/login', { data: account })).status()).toBe(401)
  expect((await fresh.post('/api/auth/login', { data: { ...account, password: 'a brand new passphrase 2026' } })).status()).toBe(200)
  await fresh.dispose()
})
