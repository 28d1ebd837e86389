import { readFile } from 'node:fs/promises'
import { request as playwrightRequest } from '@playwright/test'
import { expect, expectConsoleErrors, snap, test } from './fixtures'
import { png } from './pages/files'
import { linkMailedTo } from './pages/mail'

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

test('a name, a picture and custom instructions are saved, shown in the account menu and on messages, and kept over a reload; too long is said before saving', async ({ page, chat, signedIn: account }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 415/) // a text file offered as a picture, refused on purpose
  await page.goto('/account')
  const profile = page.getByRole('region', { name: 'Profile' })
  const personal = page.getByRole('region', { name: 'Personalization' })
  const about = personal.getByLabel('What should Parley know about you?')
  await profile.getByLabel('Name', { exact: true }).fill('Ada Lovelace')
  await profile.getByRole('button', { name: 'Save' }).click()
  await expect(profile.getByRole('status')).toHaveText('Saved.')
  await about.fill('I teach chemistry to teenagers.')
  await personal.getByLabel('How should Parley reply?').fill('Short answers, with an example.')

  // Over the limit: the count and the box say so, and Save waits.
  await about.fill('x'.repeat(1501))
  await expect(personal.getByText('Too long: 1,501 of 1,500 characters.')).toBeVisible()
  await expect(personal.getByRole('button', { name: 'Save' })).toBeDisabled()
  await about.fill('I teach chemistry to teenagers.')

  await personal.getByRole('button', { name: 'Save' }).click()
  await expect(personal.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()
  await snap(page, 'settings-profile', testInfo.project.name)

  await page.reload()
  await expect(about).toHaveValue('I teach chemistry to teenagers.')
  await expect(personal.getByLabel('How should Parley reply?')).toHaveValue('Short answers, with an example.')

  // A picture: cropped square by the server, shown here, in the account menu and beside the user's messages.
  await expect(profile.getByTestId('profile-avatar')).toHaveText('A') // the initial until then
  await profile.getByLabel('Picture file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: await png(page, 320, 200) })
  const picture = profile.getByTestId('profile-avatar').locator('img')
  await expect(picture).toHaveJSProperty('naturalWidth', 200)
  await expect(picture).toHaveJSProperty('naturalHeight', 200)
  await snap(page, 'settings-avatar', testInfo.project.name)
  // Not a picture: said, and the picture stays.
  await profile.getByLabel('Picture file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') })
  await expect(profile.getByRole('alert')).toHaveText('Choose a PNG, JPEG, WebP or GIF image for your picture.')
  await expect(picture).toBeVisible()

  // The chat's account menu shows the name, not the email, and the picture.
  await page.goto('/')
  await chat.send('hello there')
  await expect(chat.userMessages().last().locator('img')).toBeVisible()
  await chat.sidebar()
  await expect(page.getByRole('button', { name: /Ada Lovelace/ })).toBeVisible()
  await expect(page.getByRole('button', { name: /Ada Lovelace/ }).locator('img')).toBeVisible()
  await expect(page.getByRole('button', { name: new RegExp(account.email.replace(/[.+]/g, '\\$&')) })).toHaveCount(0)
})

test('the theme, time zone and clock are kept on the account and the theme is painted before the page is', async ({ page, signedIn: account, baseURL }, testInfo) => {
  expectConsoleErrors(testInfo, /ERR_FAILED/) // the app's scripts held back on purpose, below
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/account')
  const personal = page.getByRole('region', { name: 'Personalization' })
  await personal.getByLabel('Dark').check()
  await expect(page.locator('html')).toHaveClass(/\bdark\b/)
  await personal.getByLabel('Time zone').selectOption('Asia/Tokyo')
  await personal.getByLabel('Clock').selectOption('H24')
  await expect(personal.getByTestId('time-preview')).toHaveText(/\b([01]\d|2[0-3]):[0-5]\d\b/) // 24-hour
  await expect(personal.getByTestId('time-preview')).not.toHaveText(/AM|PM/)

  // Another visit paints dark from the first frame: the class is there before any of the app's scripts ran.
  await page.route('**/assets/*.js', (route) => route.abort())
  await page.goto('/account')
  await expect(page.locator('html')).toHaveClass(/\bdark\b/)
  await page.unroute('**/assets/*.js')

  // A new device (no remembered theme) gets the account's once signed in.
  const other = await page.context().browser()!.newContext({ baseURL, colorScheme: 'light' })
  const tab = await other.newPage()
  const login = await tab.request.post('/api/auth/login', { data: account })
  expect(login.status()).toBe(200)
  await tab.goto('/')
  await expect(tab.locator('html')).toHaveClass(/\bdark\b/)
  await other.close()

  // Back to the device's own scheme: dark follows the device again.
  await page.goto('/account')
  await personal.getByLabel('As the device').check()
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect(page.locator('html')).toHaveClass(/\bdark\b/)
  await snap(page, 'settings-personalization', testInfo.project.name)
})

test('deleting the account says what goes, asks for the password and what becomes of Premium, then the account is gone', async ({ page, chat, signedIn: account, baseURL }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 400/) // the wrong password, refused on purpose
  await chat.send('Remember that my locker code is 4417')
  await expect(chat.assistantMessages()).toHaveCount(1)

  // Premium through the test-mode checkout, so the dialog asks what happens to the subscription.
  await page.goto('/account')
  await page.getByRole('button', { name: /Upgrade to Premium/ }).click()
  await page.getByRole('button', { name: 'Subscribe (test)' }).click()
  await expect(page).toHaveURL(/\/account$/)
  await expect(page.getByTestId('plan-summary')).toContainText('Premium · renews on')

  await page.getByRole('button', { name: 'Delete account…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' })
  await expect(dialog).toContainText('every chat and message')
  await expect(dialog).toContainText('without your name or email')
  const confirm = dialog.getByRole('button', { name: 'Delete my account' })
  await dialog.getByLabel('Your password').fill('not my password')
  await expect(confirm).toBeDisabled() // what becomes of Premium is not chosen yet
  await dialog.getByLabel(/Don't renew it: it ends on/).check()
  await snap(page, 'delete-account', testInfo.project.name)
  await confirm.click()
  await expect(dialog.getByText('That is not your password. Nothing was deleted.')).toBeVisible()
  await expect(dialog.getByLabel('Your password')).toHaveAttribute('aria-invalid', 'true')

  // Keeping the account closes the dialog and changes nothing.
  await dialog.getByRole('button', { name: 'Keep my account' }).click()
  await expect(dialog).toBeHidden()
  expect((await page.request.post('/api/auth/refresh')).status()).toBe(200)

  const refreshCookie = (await page.context().cookies()).find((c) => c.name === 'parley_refresh')!
  await page.getByRole('button', { name: 'Delete account…' }).click()
  await dialog.getByLabel('Your password').fill(account.password)
  await dialog.getByLabel(/End it now/).check()
  await confirm.click()

  // Signed out, told so; the session cannot come back and the password no longer works.
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByRole('status')).toHaveText('Your account was deleted. Thank you for using Parley.')
  await snap(page, 'account-deleted', testInfo.project.name)
  expect((await page.context().cookies()).some((c) => c.name === 'parley_refresh')).toBe(false) // cleared
  const fresh = await playwrightRequest.newContext({ baseURL })
  expect((await fresh.post('/api/auth/login', { data: account })).status()).toBe(401)
  // A copy of the old refresh cookie is worth nothing.
  expect((await fresh.post('/api/auth/refresh', { headers: { Cookie: `parley_refresh=${refreshCookie.value}` } })).status()).toBe(401)
  // The email is free again: a new, empty account.
  expect((await fresh.post('/api/auth/register', { data: account })).status()).toBe(201)
  await fresh.dispose()
})

test('the sign-in email changes once the link mailed to the new address is opened', async ({ page, signedIn: account }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 400/) // the wrong password, refused on purpose
  const address = account.email.replace('@', '+new@')
  await page.goto('/account')
  const form = page.getByRole('form', { name: 'Email' })
  await expect(form).toContainText(`You sign in with ${account.email}`)
  await form.getByLabel('New email').fill(address)
  await form.getByLabel('Password').fill('not my password')
  await form.getByRole('button', { name: 'Change email' }).click()
  await expect(form.getByText('That is not your password. Your email was not changed.')).toBeVisible()

  await form.getByLabel('Password').fill(account.password)
  await form.getByRole('button', { name: 'Change email' }).click()
  await expect(form.getByRole('status')).toHaveText(`We sent a link to ${address}. Your email changes when you open it (within 24 hours).`)
  await snap(page, 'settings-email', testInfo.project.name)

  await page.goto(await linkMailedTo(address, 'confirm-email'))
  await expect(page.getByRole('status')).toHaveText(`Done: you now sign in with ${address}.`)
  await page.getByRole('link', { name: 'Back to your settings' }).click()
  await expect(page.getByRole('form', { name: 'Email' })).toContainText(`You sign in with ${address}`)
})

test('an export of everything is prepared in the background and downloaded as a zip', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.send('Remember the number 1729')
  await expect(chat.assistantMessages()).toHaveCount(1)
  await page.goto('/account')
  await page.getByRole('button', { name: 'Export my data' }).click()
  const ready = page.getByTestId('export-ready')
  await expect(ready).toContainText('Ready')
  await snap(page, 'settings-data', testInfo.project.name)

  const [download] = await Promise.all([page.waitForEvent('download'), ready.getByRole('link', { name: 'Download' }).click()])
  expect(download.suggestedFilename()).toMatch(/^parley-export-\d{4}-\d{2}-\d{2}\.zip$/)
  const zip = await readFile((await download.path())!)
  expect(zip.subarray(0, 2).toString()).toBe('PK') // a zip archive
  // Entry names are stored as they are (the contents are compressed; the backend's ExportTests read them).
  for (const name of ['profile.json', 'usage.json', 'README.txt', '-remember-the-number-1729.md', '-remember-the-number-1729.json']) {
    expect(zip.includes(Buffer.from(name)), name).toBe(true)
  }
})
