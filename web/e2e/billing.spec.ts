import { MESSAGE_LIMIT } from '../playwright.config'
import { expect, snap, test } from './fixtures'

test('a free user at the limit upgrades in test mode, returns to the same chat with the draft, and can cancel', async ({ page, chat, signedIn: _ }, testInfo) => {
  for (let i = 1; i <= MESSAGE_LIMIT; i++) await chat.send(`what is ${i} + 100`)
  const chatPath = new URL(page.url()).pathname
  const draft = 'The message I was typing when I hit the limit'
  await chat.composer.fill(draft)
  await chat.composer.press('Enter')

  // Production with Billing__TestMode: every user is told nothing is charged.
  await expect(page.getByTestId('test-mode-banner')).toBeVisible()

  // Click 1: upgrade from the paywall.
  await expect(chat.upgradeDialog).toBeVisible()
  await snap(page, 'paywall', testInfo.project.name)
  await chat.upgradeDialog.getByRole('button', { name: 'Upgrade to Premium' }).click()

  // Click 2: pay on the (test-mode) checkout page.
  await expect(page.getByText('Test mode, no real payment')).toBeVisible()
  await snap(page, 'test-checkout', testInfo.project.name)
  await page.getByRole('button', { name: 'Subscribe (test)' }).click()

  // Back in the same chat, with the draft still there, once the webhook has made the user Premium.
  await expect(page).toHaveURL(new RegExp(`${chatPath}$`))
  await expect(chat.composer).toHaveValue(draft)
  await expect(chat.meter).toHaveText(/^Premium · unlimited( messages)?$/, { useInnerText: true })
  await expect(page.getByTestId('toast')).toContainText("You're Premium now")
  await chat.composer.press('Enter')
  await expect(chat.userMessages().last()).toContainText(draft)
  await expect(chat.assistantMessages()).toHaveCount(MESSAGE_LIMIT + 1)

  // The account page shows Premium and its renewal; cancelling in the portal keeps Premium until the period ends.
  await page.goto('/account')
  await expect(page.getByTestId('plan-summary')).toContainText('Premium · renews on')
  await page.getByRole('button', { name: 'Manage subscription' }).click()
  await expect(page.getByText('Test mode, no real payment')).toBeVisible()
  await snap(page, 'test-portal', testInfo.project.name)
  await page.getByRole('button', { name: 'Cancel subscription' }).click()
  await expect(page.getByTestId('portal-status')).toContainText('cancels on')
  await page.getByRole('link', { name: /Return to Parley/ }).click()
  await expect(page.getByTestId('plan-summary')).toContainText('Premium until')
  await snap(page, 'account-premium-until', testInfo.project.name)
})

test('cancelling checkout returns to the chat, still free, draft kept', async ({ page, chat, signedIn: _ }) => {
  for (let i = 1; i <= MESSAGE_LIMIT; i++) await chat.send(`what is ${i} * 2`)
  const chatPath = new URL(page.url()).pathname
  await chat.composer.fill('keep me')
  await chat.composer.press('Enter')
  await chat.upgradeDialog.getByRole('button', { name: 'Upgrade to Premium' }).click()
  await expect(page.getByText('Test mode, no real payment')).toBeVisible()

  await page.getByRole('link', { name: 'Cancel and go back' }).click()

  await expect(page).toHaveURL(new RegExp(`${chatPath}$`))
  await expect(chat.composer).toHaveValue('keep me')
  await expect(chat.meter).toHaveText(/^(No messages|None) left/, { useInnerText: true })
})
