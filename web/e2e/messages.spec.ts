import { expect, expectConsoleErrors, snap, test } from './fixtures'

test('a message can be copied, shows its time, and a reply can be rated; the rating is stored', async ({ page, chat, signedIn: _ }, testInfo) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await chat.send('what is 6 * 7')
  const reply = chat.assistantMessages().last()
  const question = chat.userMessages().last()

  // Actions are icons with names; the newest message keeps them in view.
  await reply.getByRole('button', { name: 'Copy message' }).click()
  await expect(reply.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('6 * 7 = 42')

  await question.click() // on a phone, a tap shows the time; with a mouse it is there on hover
  await question.hover()
  await expect(question.locator('time')).toBeVisible()
  expect(await question.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/)

  const good = reply.getByRole('button', { name: 'Good reply' })
  await good.click()
  await expect(good).toHaveAttribute('aria-pressed', 'true')
  const box = (await good.boundingBox())!
  expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(testInfo.project.name === 'phone' ? 44 : 28)
  await snap(page, 'message-actions', testInfo.project.name)

  await page.reload()
  await expect(chat.assistantMessages().last().getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'true')
  await chat.assistantMessages().last().getByRole('button', { name: 'Bad reply' }).click()
  await page.reload()
  await expect(chat.assistantMessages().last().getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'true')
  await expect(chat.assistantMessages().last().getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'false')
})

test('the empty chat offers prompts that send at a click', async ({ page, chat, signedIn: _ }, testInfo) => {
  const suggestions = page.getByRole('list', { name: 'Suggestions' }).getByRole('button')
  await expect(suggestions).toHaveCount(4)
  await snap(page, 'empty-chat', testInfo.project.name)
  await suggestions.filter({ hasText: 'How many messages do I have left?' }).click()
  await expect(chat.assistantMessages().last()).toContainText('messages per')
  await expect(chat.title).toHaveText('How many messages do I have left?')
})

test('far up a long chat, a button goes back to the newest message', async ({ page, chat, signedIn: _ }) => {
  for (let i = 0; i < 3; i++) await chat.send('show me markdown')
  const list = page.getByTestId('message-list')
  const toEnd = page.getByRole('button', { name: 'Scroll to the newest message' })
  await expect(toEnd).toHaveCount(0)
  await list.evaluate((el) => el.scrollTo({ top: 0 }))
  await toEnd.click()
  await expect.poll(() => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5)
  await expect(toEnd).toHaveCount(0)
})

test('keyboard shortcuts: the sheet, a new chat, focus the box, stop a reply', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.send('hello')
  await page.getByTestId('message-list').click()
  await page.keyboard.press('?')
  const sheet = page.getByTestId('shortcuts-dialog')
  await expect(sheet).toBeVisible()
  await expect(sheet).toContainText('New chat')
  await snap(page, 'shortcuts', testInfo.project.name)
  await page.keyboard.press('Escape')
  await expect(sheet).toBeHidden()

  await page.keyboard.press('/')
  await expect(chat.composer).toBeFocused()
  await chat.composer.fill('Write me a sonnet about the sea')
  await chat.composer.press('Enter')
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(chat.assistantMessages().last().getByText('Stopped')).toBeVisible()

  await page.keyboard.press('ControlOrMeta+Shift+O')
  await expect(page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
  await expect(chat.composer).toBeFocused()
})

test('a new chat is one tap away; on a phone from the header, and the drawer closes with its own button', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.send('hello')
  const phone = testInfo.project.name === 'phone'
  const newChat = phone
    ? page.getByRole('main').getByRole('button', { name: 'New chat' })
    : page.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: 'New chat' })
  await newChat.click()
  await expect(page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
  if (!phone) return // the sidebar is a column, always there

  await page.getByRole('button', { name: 'Open menu' }).click()
  await expect(page.getByRole('navigation', { name: 'Chats' })).toBeInViewport()
  await snap(page, 'drawer', testInfo.project.name)
  await page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: 'Close menu' }).click()
  await expect(page.getByRole('navigation', { name: 'Chats' })).not.toBeInViewport()
})

test('a chat that does not exist, or is not yours, says so and offers a new one', async ({ page, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 404 /) // the chat asked for is not there
  await page.goto('/c/999999')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chat not found')
  await expect(page.getByText('This chat does not exist or was deleted.')).toBeVisible()
  await snap(page, 'chat-not-found', testInfo.project.name)
  await page.getByRole('link', { name: 'Start a new chat' }).click()
  await expect(page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
})

test('the account page shows the plan and what it allows', async ({ page, signedIn: _ }, testInfo) => {
  await page.goto('/account')
  await expect(page.getByTestId('plan-summary')).toContainText('Free')
  await snap(page, 'account-free', testInfo.project.name)
})
