import { expect, expectConsoleErrors, snap, test } from './fixtures'
import { linkMailedTo } from './pages/mail'

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

test('a forgotten password is reset through the mailed link, once; every device is signed out', async ({ page, signedIn: account, baseURL }, testInfo) => {
  expectConsoleErrors(testInfo, /status of (400|401)/) // the spent link, refused on purpose; the signed-out session
  await page.request.post('/api/auth/logout')
  await page.goto('/login')
  await page.getByLabel('Email').fill(account.email)
  await page.getByRole('link', { name: 'Forgot password?' }).click()

  // The address typed on the sign-in page comes along; the answer says nothing about whether it has an account.
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
  await expect(page.getByLabel('Email')).toHaveValue(account.email)
  await page.getByRole('button', { name: 'Send the link' }).click()
  await expect(page.getByRole('status')).toContainText(`If an account uses ${account.email}, a link is on its way`)
  await snap(page, 'forgot-password', testInfo.project.name)

  const link = await linkMailedTo(account.email, 'reset-password')
  expect(link.startsWith(`${baseURL}/reset-password#token=`)).toBe(true)
  await page.goto(link)
  await page.getByLabel('New password').fill('a fresh password for 2027')
  await snap(page, 'reset-password', testInfo.project.name)
  await page.getByRole('button', { name: 'Set new password' }).click()
  await expect(page).toHaveURL(/\/login$/)
  await expect(page.getByRole('status')).toContainText('Your password was changed')

  await page.getByLabel('Email').fill(account.email)
  await page.getByLabel('Password', { exact: true }).fill('a fresh password for 2027')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()

  // The link was spent: opening it again says so and offers a new one.
  await page.goto(link)
  await page.getByLabel('New password').fill('yet another password 2028')
  await page.getByRole('button', { name: 'Set new password' }).click()
  await expect(page.getByRole('alert')).toContainText('This link has expired or was already used')
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible()
})
