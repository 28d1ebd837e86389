import type { APIRequestContext } from '@playwright/test'
import { expect, snap, test, type Account } from './fixtures'
import { setPlan } from './operator'

/** A Premium user's chats, written through the API: each message is sent and answered by the built-in assistant. */
async function seed(request: APIRequestContext, account: Account, chats: { title: string; messages: string[] }[]) {
  setPlan(account.email, 'premium')
  const { accessToken } = await (await request.post('/api/auth/refresh')).json()
  const headers = { Authorization: `Bearer ${accessToken}` }
  const ids: number[] = []
  for (const c of chats) {
    const created = await (await request.post('/api/chats', { headers, data: { title: c.title } })).json()
    ids.push(created.id)
    for (const content of c.messages) {
      expect((await request.post(`/api/chats/${created.id}/messages`, { headers, data: { content } })).status()).toBe(200)
    }
  }
  return ids
}

test('the sidebar search finds chats by title at once and messages by their words, and opens one at the message', async ({ page, chat, signedIn }, testInfo) => {
  await seed(page.request, signedIn, [
    { title: 'Trip to Zürich', messages: ['what is the best month for the lakes?'] },
    { title: 'Recipes', messages: ['how long does a crème brûlée bake?', 'what is 12 * 12'] },
  ])
  await page.reload()
  const sidebar = await chat.sidebar()
  const field = sidebar.getByTestId('search-input')

  await field.fill('zur')
  await expect(sidebar.getByTestId('search-chat')).toHaveText(['Trip to Zürich'])
  await expect(sidebar.getByTestId('chat-list')).toBeHidden()

  await field.fill('creme brul')
  const hit = sidebar.getByTestId('search-hit').first()
  await expect(hit).toContainText('crème brûlée')
  await expect(hit.locator('mark')).toHaveText(['crème', 'brûlée']) // whole words marked, the prefix's too
  await expect(sidebar.getByRole('group', { name: 'Recipes' })).toBeVisible()
  await snap(page, 'search-sidebar', testInfo.project.name)

  await field.fill('xylophone')
  await expect(sidebar.getByTestId('search-empty')).toHaveText('No chats or messages match “xylophone”.')

  // Arrows and Enter from the field; the chat opens at the message, its words marked.
  await field.fill('crème bru')
  await expect(sidebar.getByTestId('search-hit').first()).toContainText('crème brûlée')
  await field.press('ArrowDown')
  await expect(sidebar.getByRole('option', { selected: true })).toContainText('crème brûlée')
  await field.press('Enter')
  await expect(chat.title).toHaveText('Recipes')
  const opened = page.locator('[data-message-id].search-hit')
  await expect(opened).toContainText('how long does a crème brûlée bake?')
  await expect(opened).toBeInViewport()

  // Escape clears the field and the chat list is back.
  const again = (await chat.sidebar()).getByTestId('search-input')
  await again.press('Escape')
  await expect(again).toHaveValue('')
  await expect((await chat.sidebar()).getByTestId('chat-list')).toBeVisible()
})

test('Ctrl+K opens search from anywhere; a hit far up a long chat opens there and scrolling loads both ways', async ({ page, chat, signedIn }, testInfo) => {
  const questions = Array.from({ length: 40 }, (_, i) => (i === 3 ? 'where is the lighthouse of Alexandria?' : `what is ${i} + 500`))
  const [longChat] = await seed(page.request, signedIn, [{ title: 'Long history', messages: questions }])
  await page.goto('/')
  await expect(chat.composer).toBeVisible()

  await page.keyboard.press('Control+k')
  const palette = page.getByTestId('search-palette')
  await expect(palette).toBeVisible()
  const input = palette.getByTestId('search-input')
  await expect(input).toBeFocused()
  await input.fill('lighthou')
  await expect(palette.getByTestId('search-hit').first()).toContainText('lighthouse')
  await snap(page, 'search-palette', testInfo.project.name)
  await palette.getByTestId('search-hit').filter({ hasText: 'where is the lighthouse' }).click()

  await expect(palette).toBeHidden()
  await expect(page).toHaveURL(new RegExp(`/c/${longChat}\\?m=\\d+`))
  const opened = page.locator('[data-message-id].search-hit')
  await expect(opened).toContainText('where is the lighthouse of Alexandria?')
  await expect(opened).toBeInViewport()
  await snap(page, 'search-opened-hit', testInfo.project.name)

  // The newest messages are not loaded yet; scrolling down loads them, scrolling up the first ones.
  const list = page.getByTestId('message-list')
  await expect(page.getByText('what is 39 + 500', { exact: true })).toHaveCount(0)
  await expect
    .poll(async () => {
      await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight })) // each time the end shows, the next page comes
      return page.getByText('what is 39 + 500', { exact: true }).count()
    })
    .toBe(1)
  await list.evaluate((el) => el.scrollTo({ top: 0 }))
  await expect(page.getByText('what is 0 + 500', { exact: true })).toBeVisible()
  await expect(chat.messages).toHaveCount(80)

  // Writing from there: the message goes under the newest ones.
  await chat.composer.fill('what is 2 * 21')
  await chat.composer.press('Enter')
  await expect(page).toHaveURL(new RegExp(`/c/${longChat}$`))
  await expect(chat.assistantMessages().last()).toContainText('2 * 21 = 42')
  await chat.replyFinished()
})

test('on a phone, search is in the drawer and behind the header button', async ({ page, chat, signedIn }, testInfo) => {
  await seed(page.request, signedIn, [{ title: 'Garden', messages: ['when should I plant tomatoes?'] }])
  await page.reload()
  await page.getByRole('button', { name: 'Search', exact: true }).click()
  const palette = page.getByTestId('search-palette')
  await palette.getByTestId('search-input').fill('tomato')
  await expect(palette.getByTestId('search-hit').first()).toContainText('tomatoes')
  const box = (await palette.boundingBox())!
  expect(box.width).toBeLessThanOrEqual(page.viewportSize()!.width)
  await palette.getByTestId('search-hit').first().click()
  await expect(chat.title).toHaveText('Garden')
  await expect(page.locator('[data-message-id].search-hit')).toBeInViewport()
  await snap(page, 'search-phone-opened', testInfo.project.name)
})
