import { expect, expectConsoleErrors, snap, test } from './fixtures'

test('the sign-in and sign-up pages check what is typed and say what to fix under each field', async ({ page, account }, testInfo) => {
  await page.goto('/login')
  await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible()
  await snap(page, 'login', testInfo.project.name)

  await page.getByRole('link', { name: 'Create an account' }).click()
  await page.getByLabel('Email').fill('not-an-email')
  await page.getByLabel('Password').fill('password')
  await page.getByRole('button', { name: 'Create account' }).click()

  const email = page.getByLabel('Email')
  await expect(email).toBeFocused()
  await expect(email).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('email-error')).toHaveText('Enter a valid email address, like name@example.com.')
  await expect(page.getByTestId('password-error')).toContainText('one of the most common passwords')
  await snap(page, 'register-errors', testInfo.project.name)

  await email.fill(account.email)
  await page.getByLabel('Password').fill(account.password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
})

test('an address already registered is said under the email field', async ({ page, account, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 409 /) // the refusal the journey is about
  await page.context().clearCookies()
  await page.goto('/register')
  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password').fill('another long passphrase here')
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByTestId('email-error')).toContainText('already exists')
  await expect(page.getByLabel('Email')).toBeFocused()
})
