import { MESSAGE_LIMIT } from '../playwright.config'
import { expect, expectConsoleErrors, snap, test } from './fixtures'

test('a new user registers, chats, and sees the reply rendered as Markdown', async ({ page, auth, chat, account }, testInfo) => {
  await auth.register(account.email, account.password)
  await expect(chat.meter).toHaveText(new RegExp(`^${MESSAGE_LIMIT} of ${MESSAGE_LIMIT} (messages )?left$`), { useInnerText: true })

  await chat.send('show me markdown')

  const reply = chat.assistantMessages().last()
  await expect(reply.locator('table')).toBeVisible()
  await expect(reply.locator('strong').first()).toHaveText('Markdown')
  await expect(reply.locator('pre code')).toContainText('def greet')
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible()
  await expect(chat.title).toHaveText('show me markdown')
  await expect(chat.meter).toHaveText(new RegExp(`^${MESSAGE_LIMIT - 1} of ${MESSAGE_LIMIT} (messages )?left · one more at `), { useInnerText: true })
  const meterHeight = (await chat.meter.boundingBox())!.height
  expect(meterHeight).toBeLessThan(24) // one line, on a phone too
  await expect(chat.composer).toHaveValue('')
  await snap(page, 'chat-markdown', testInfo.project.name)
})

test('what the user types is shown as text, never as HTML', async ({ chat, signedIn: _ }) => {
  await chat.send('<img src=x onerror="window.__xss=1"> <b>bold?</b>')

  await expect(chat.userMessages().last()).toContainText('<b>bold?</b>')
  expect(await chat.userMessages().last().locator('img, b').count()).toBe(0)
})

test('Shift+Enter makes a new line and Enter sends', async ({ chat, signedIn: _ }) => {
  await chat.composer.click()
  await chat.composer.pressSequentially('first line')
  await chat.composer.press('Shift+Enter')
  await chat.composer.pressSequentially('what is 1 + 1')
  await expect(chat.composer).toHaveValue('first line\nwhat is 1 + 1')

  await chat.composer.press('Enter')

  await expect(chat.userMessages().last()).toContainText('first line')
  await expect(chat.assistantMessages()).toHaveCount(1)
})

test('a second chat, renamed, then deleted', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.send('what is 2 + 2')
  await expect(chat.assistantMessages().last()).toContainText('2 + 2 = 4')
  await chat.newChat()
  await chat.send('hello')
  await expect(await chat.chatItems()).toHaveCount(2)
  await snap(page, 'two-chats-sidebar', testInfo.project.name)

  await chat.rename('hello', 'Greetings')
  await chat.openChat('Greetings')
  await chat.delete('Greetings')

  await expect(await chat.chatItems()).toHaveCount(1)
  await chat.openChat('what is 2 + 2')
  await expect(chat.assistantMessages().last()).toContainText('2 + 2 = 4')
})

test('a deleted chat can be brought back with Undo; otherwise it is gone, even after a reload at once', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.send('keep me')
  await chat.newChat()
  await chat.send('delete me')

  await chat.delete('keep me')
  const undo = page.getByTestId('toast').getByRole('button', { name: 'Undo' })
  await undo.focus() // reaching for Undo holds the toast open, however long the screenshots take
  await snap(page, 'deleted-toast', testInfo.project.name)
  await undo.click()
  const nav = await chat.sidebar()
  await expect(nav.getByRole('link', { name: 'keep me' })).toBeVisible()

  await chat.delete('delete me')
  await page.reload() // before the Undo time is up: the delete is sent as the page goes
  await expect((await chat.sidebar()).getByRole('link', { name: 'keep me' })).toBeVisible()
  await page.reload() // the delete was sent as the page went; by now it has been stored
  await expect((await chat.sidebar()).getByRole('link', { name: 'delete me' })).toHaveCount(0)
})

test('rename starts from the title the chat has now; Escape, or leaving the field unchanged, keeps it', async ({ chat, signedIn: _ }) => {
  await chat.send('tell me a joke') // a new chat is titled from its first message once it is sent
  const nav = await chat.sidebar()
  await expect(nav.getByRole('link', { name: 'tell me a joke' })).toBeVisible()
  const input = nav.getByRole('textbox', { name: 'Chat title' })

  await chat.chatAction('tell me a joke', 'Rename')
  await expect(input).toHaveValue('tell me a joke')
  await input.fill('Something else')
  await input.press('Escape')
  await expect(nav.getByRole('link', { name: 'tell me a joke' })).toBeVisible()

  await chat.chatAction('tell me a joke', 'Rename')
  await expect(input).toHaveValue('tell me a joke')
  await input.blur() // clicking away without a change
  await expect(input).toHaveCount(0)
  await chat.page.reload()
  await expect((await chat.sidebar()).getByRole('link', { name: 'tell me a joke' })).toBeVisible()

  await chat.rename('tell me a joke', 'Jokes')
  await chat.page.reload()
  await expect((await chat.sidebar()).getByRole('link', { name: 'Jokes' })).toBeVisible()
})

test('sending while offline keeps the text, says so, and sends it when the connection is back', async ({ page, chat, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /ERR_INTERNET_DISCONNECTED/) // reads still in flight when the network is cut on purpose
  await chat.send('hello')
  await page.context().setOffline(true)
  await chat.composer.fill('what is 6 * 7')
  await chat.composer.press('Enter')

  await expect(page.getByTestId('connection-banner')).toContainText("You're offline")
  await expect(page.getByTestId('waiting-to-send')).toContainText('will be sent when you')
  await expect(chat.composer).toHaveValue('what is 6 * 7')
  await expect(chat.userMessages()).toHaveCount(1)
  await snap(page, 'offline-send', testInfo.project.name)

  await page.context().setOffline(false)
  await expect(chat.userMessages()).toHaveCount(2)
  await expect(chat.assistantMessages().last()).toContainText('42')
  await expect(chat.composer).toHaveValue('')
  await expect(page.getByTestId('waiting-to-send')).toHaveCount(0)
  await page.reload()
  await expect(chat.userMessages()).toHaveCount(2) // sent once
})

test('a new chat sent offline is not lost either', async ({ page, chat, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /ERR_INTERNET_DISCONNECTED/) // reads still in flight when the network is cut on purpose
  await page.context().setOffline(true)
  await chat.composer.fill('what is 2 + 3')
  await chat.composer.press('Enter')
  await expect(page.getByTestId('waiting-to-send')).toBeVisible()
  await expect(chat.composer).toHaveValue('what is 2 + 3')
  await expect(page.getByRole('button', { name: 'Sending' })).toHaveCount(0) // nothing spins

  await page.context().setOffline(false)
  await expect(chat.assistantMessages().last()).toContainText('2 + 3 = 5')
  await expect(chat.title).toHaveText('what is 2 + 3')
})

test('at the limit, the upgrade dialog shows the reset time and the draft is kept', async ({ page, chat, signedIn: _ }, testInfo) => {
  for (let i = 1; i <= MESSAGE_LIMIT; i++) {
    await chat.send(`what is ${i} * 10`)
    if (MESSAGE_LIMIT - i === 1) await expect(chat.meter).toHaveAttribute('data-state', 'warning')
  }
  await expect(chat.meter).toHaveAttribute('data-state', 'exhausted')
  await expect(chat.meter).toHaveText(/^(No messages|None) left · one more at /, { useInnerText: true })

  const draft = 'This is the message I really want to send'
  await chat.composer.fill(draft)
  await chat.composer.press('Enter')

  await expect(chat.upgradeDialog).toBeVisible()
  await expect(chat.upgradeDialog.getByTestId('reset-time')).not.toBeEmpty()
  await expect(chat.upgradeDialog).toContainText('Premium')
  await expect(chat.upgradeDialog).toContainText('Unlimited messages')
  await snap(page, 'upgrade-dialog', testInfo.project.name)
  await chat.upgradeDialog.getByRole('button', { name: 'Not now' }).click()
  await expect(chat.composer).toHaveValue(draft)
  await expect(chat.userMessages()).toHaveCount(MESSAGE_LIMIT)
})

test('the server refusing a send at the limit also keeps the draft', async ({ page, chat, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 402 /) // the refusal the journey is about
  for (let i = 1; i <= MESSAGE_LIMIT - 1; i++) await chat.send(`what is ${i} + 1`)
  // Another tab spends the last message; this tab's meter still says one is left.
  const last = await page.request.get('/api/chats').then((r) => r.json())
  expect(last).toBeTruthy()

  const other = await page.context().newPage()
  await other.goto('/')
  const otherChat = new (await import('./pages/chat-page')).ChatPage(other)
  await otherChat.send('spent elsewhere')
  await other.close()

  const draft = 'sent from the stale tab'
  await chat.composer.fill(draft)
  await chat.composer.press('Enter')

  await expect(chat.upgradeDialog).toBeVisible()
  await chat.upgradeDialog.getByRole('button', { name: 'Not now' }).click()
  await expect(chat.composer).toHaveValue(draft)
  await expect(chat.userMessages().filter({ hasText: draft })).toHaveCount(0)
})

test('signing out and in again keeps the chats; a reload keeps the session', async ({ page, auth, chat, account, signedIn: _ }, testInfo) => {
  expectConsoleErrors(testInfo, /status of 401 .*\/api\/auth\/login/) // the wrong password, on purpose
  await chat.send('what is 3 * 3')
  await page.reload()
  await expect(chat.assistantMessages().last()).toContainText('3 * 3 = 9')
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('eyJ') // no JWT in storage

  await chat.signOut()
  await auth.signIn(account.email, 'the wrong password')
  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.')
  await auth.signIn(account.email, account.password)

  await chat.openChat('what is 3 * 3')
  await expect(chat.assistantMessages().last()).toContainText('3 * 3 = 9')
  await chat.closeDrawer()
  await snap(page, 'signed-in-again', testInfo.project.name)
})
