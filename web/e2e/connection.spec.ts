import { expect, expectConsoleErrors, snap, test } from './fixtures'

const chatList = /\/api\/chats(\?.*)?$/

test('while Parley cannot reach its database the screen says it is reconnecting, and recovers by itself', async ({ page, chat, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 503 /) // the outage the journey stages
  await chat.send('hello')
  // The database is away: reads answer 503 as Parley does then.
  await page.route(chatList, (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      headers: { 'Retry-After': '5' },
      body: JSON.stringify({
        type: 'https://parley.chat/problems/database-unavailable',
        title: 'Temporarily unavailable',
        status: 503,
        detail: 'Parley cannot reach its database just now. Please try again in a few seconds.',
      }),
    }),
  )
  await page.reload()

  const banner = page.getByTestId('connection-banner')
  await expect(banner).toContainText('Reconnecting…')
  await snap(page, 'reconnecting', testInfo.project.name)
  await page.unroute(chatList)

  await expect(banner).toHaveCount(0, { timeout: 20_000 }) // the next try works: nothing to click
  await expect(chat.assistantMessages().last()).toContainText('Hello!')
})

test('going offline says so, and the banner goes when the connection is back', async ({ page, chat, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /ERR_INTERNET_DISCONNECTED/) // reads still in flight when the network is cut on purpose
  await chat.send('hello')

  await page.context().setOffline(true)
  await expect(page.getByTestId('connection-banner')).toContainText("You're offline")
  await page.context().setOffline(false)

  await expect(page.getByTestId('connection-banner')).toHaveCount(0)
})
