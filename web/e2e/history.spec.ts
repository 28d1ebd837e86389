import { expect, snap, test } from './fixtures'
import { setPlan } from './operator'

test('a long chat loads older messages when scrolled to the top', async ({ page, chat, signedIn }, testInfo) => {
  setPlan(signedIn.email, 'premium')
  const { accessToken } = await (await page.request.post('/api/auth/refresh')).json()
  const headers = { Authorization: `Bearer ${accessToken}` }
  const created = await (await page.request.post('/api/chats', { headers, data: { title: 'Long chat' } })).json()
  for (let i = 1; i <= 20; i++) {
    const r = await page.request.post(`/api/chats/${created.id}/messages`, { headers, data: { content: `what is ${i} + 1000` } })
    expect(r.status()).toBe(200)
  }

  await page.goto(`/c/${created.id}`)
  await expect(chat.assistantMessages().last()).toContainText('20 + 1000 = 1,020')
  await expect(chat.meter).toHaveText(/^Premium · unlimited( messages)?$/, { useInnerText: true })
  await expect(page.getByText('what is 1 + 1000', { exact: true })).toHaveCount(0) // not in the first page

  await page.getByTestId('message-list').evaluate((el) => el.scrollTo({ top: 0 }))

  await expect(page.getByText('what is 1 + 1000', { exact: true })).toBeVisible()
  await expect(chat.messages).toHaveCount(40)
  // The message that was at the top stays on screen: loading older ones did not yank the view to the top.
  await expect(page.getByText('what is 6 + 1000', { exact: true })).toBeInViewport()
  await snap(page, 'long-chat-older-loaded', testInfo.project.name)
})

test('dark mode follows the system', async ({ page, chat, signedIn: _ }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await chat.send('how do I connect a model?')

  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
  expect(background).not.toBe('rgb(255, 255, 255)')
  await snap(page, 'dark-mode', testInfo.project.name)
})

test('the chat screen works from the keyboard alone', async ({ page, chat, signedIn: _ }) => {
  await chat.composer.focus()
  await page.keyboard.type('what is 9 * 9')
  await page.keyboard.press('Enter')
  await expect(chat.assistantMessages().last()).toContainText('9 * 9 = 81')

  // To the chat's rename button (on a touch screen, its menu) and rename it with Enter.
  const nav = await chat.sidebar()
  const more = nav.getByRole('button', { name: 'More for what is 9 * 9' })
  if (await more.isVisible()) {
    await more.focus()
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
  } else {
    await nav.getByRole('link', { name: 'what is 9 * 9' }).focus()
    await page.keyboard.press('Tab')
    await expect(nav.getByRole('button', { name: 'Rename what is 9 * 9' })).toBeFocused()
  }
  await page.keyboard.press('Enter')
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.type('Squares')
  await page.keyboard.press('Enter')
  await expect((await chat.sidebar()).getByRole('link', { name: 'Squares' })).toBeVisible()
})
