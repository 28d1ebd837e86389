import { expect, snap, test } from './fixtures'

// The built-in assistant's longest answer (it lists what it can do), streamed word by word.
const LONG_QUESTION = 'Write me a sonnet about the sea'
const LAST_WORDS = 'show me markdown'

test('a reply visibly grows while streaming, Stop keeps what was written, and Continue writes on from it', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.composer.fill(LONG_QUESTION)
  await chat.composer.press('Enter')
  const reply = chat.assistantMessages().last()
  await expect(reply).toContainText("I'm Parley's built-in assistant")
  const early = (await reply.innerText()).length
  await expect.poll(async () => (await reply.innerText()).length).toBeGreaterThan(early) // it grows in place

  await chat.page.getByRole('button', { name: 'Stop' }).click()

  await expect(reply.getByText('Stopped')).toBeVisible()
  const final = await reply.innerText()
  expect(final.length).toBeGreaterThanOrEqual(early)
  expect(final).not.toContain(LAST_WORDS)
  await expect(chat.sendButton).toBeVisible() // the composer is back to sending

  await snap(page, 'stopped-reply', testInfo.project.name)
  const replies = await chat.assistantMessages().count()
  await reply.getByRole('button', { name: 'Continue' }).click()
  await expect(reply).toContainText(LAST_WORDS) // the same message, finished
  await chat.replyFinished()
  await expect(reply.getByText('Stopped')).toHaveCount(0)
  expect((await reply.innerText()).split("I'm Parley's built-in assistant")).toHaveLength(2) // written on, not repeated
  await expect(chat.assistantMessages()).toHaveCount(replies)
})

test('reloading in the middle of a reply re-attaches and sees it finish', async ({ page, chat, signedIn: _ }) => {
  await chat.composer.fill(LONG_QUESTION)
  await chat.composer.press('Enter')
  await expect(chat.assistantMessages().last()).toContainText("I'm Parley's built-in assistant")

  await page.reload()

  const reply = chat.assistantMessages().last()
  await expect(chat.composer).toHaveValue('') // the message was sent: it is not put back as a draft
  await expect(reply).toContainText(LAST_WORDS)
  await chat.replyFinished()
  await expect(reply.getByText('Stopped')).toHaveCount(0)
  await expect(chat.composer).toHaveValue('')
  await expect(chat.userMessages()).toHaveCount(1)
})

test('a reply streaming in does not pull the view down once the user has scrolled up', async ({ page, chat, signedIn: _ }) => {
  for (let i = 0; i < 3; i++) await chat.send('show me markdown') // tall replies, so the list scrolls
  await chat.throttleDownloads(1000) // the reply is still arriving after the user scrolls up
  await chat.composer.fill(LONG_QUESTION)
  await chat.composer.press('Enter')
  const reply = chat.assistantMessages().last()
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible()
  const list = page.getByTestId('message-list')
  await expect.poll(() => list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true)

  await list.evaluate((el) => el.scrollTo({ top: 0 }))
  const early = (await reply.innerText()).length
  await expect.poll(async () => (await reply.innerText()).length, { timeout: 20_000 }).toBeGreaterThan(early)
  await chat.throttleDownloads(null)
  await chat.replyFinished()
  await expect(reply).toContainText(LAST_WORDS)

  expect(await list.evaluate((el) => el.scrollTop)).toBeLessThan(50) // still where the user put it
})
