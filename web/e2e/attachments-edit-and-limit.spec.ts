import { MESSAGE_LIMIT } from '../playwright.config'
import { expect, expectConsoleErrors, snap, test } from './fixtures'
import { png } from './pages/files'

const notes = { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Launch notes\n\nShip on Friday.\n') }

test('editing a message with files keeps the ones left in and drops the one taken out; the first version keeps both', async ({ page, chat, signedIn: _ }, testInfo) => {
  await page.getByTestId('file-input').setInputFiles([{ name: 'chart.png', mimeType: 'image/png', buffer: await png(page) }, notes])
  await expect(page.getByTestId('draft-file').and(page.locator('[data-status="ready"]'))).toHaveCount(2)
  await chat.send('what are these?')
  const question = chat.userMessages().last()
  await expect(question.getByTestId('message-file')).toHaveCount(2)

  await question.getByRole('button', { name: 'Edit message' }).click()
  const kept = page.getByRole('list', { name: 'Files kept in the edit' })
  await expect(kept.getByTestId('message-file')).toHaveCount(2)
  await page.getByRole('button', { name: 'Remove chart.png from the edit' }).click()
  await expect(kept.getByTestId('message-file')).toHaveCount(1)
  await page.getByRole('textbox', { name: 'Edit message' }).fill('just the notes, please')
  await snap(page, 'attachments-edit', testInfo.project.name)
  await page.getByRole('button', { name: 'Send edit' }).click()

  const edited = chat.userMessages().last()
  await expect(edited).toContainText('just the notes, please')
  await expect(edited.getByTestId('message-file')).toHaveCount(1)
  await expect(edited.getByTestId('message-file')).toContainText('notes.md')
  await chat.replyFinished()
  await expect(chat.assistantMessages().last()).toContainText('notes.md')
  await expect(chat.assistantMessages().last()).not.toContainText('chart.png')

  // The first version is one click away, with both its files.
  await edited.getByRole('button', { name: 'Previous version' }).click()
  await expect(chat.userMessages().last()).toContainText('what are these?')
  await expect(chat.userMessages().last().getByTestId('message-file')).toHaveCount(2)
  await expect(chat.userMessages().last().getByRole('img', { name: 'chart.png' })).toBeVisible()
})

test('files attached when the limit is reached stay through the upgrade dialog and checkout, then go with the message', async ({ page, chat, signedIn: _ }) => {
  for (let i = 1; i <= MESSAGE_LIMIT; i++) await chat.send(`what is ${i} + 7`)
  const chatPath = new URL(page.url()).pathname
  await page.getByTestId('file-input').setInputFiles([notes])
  const draft = page.getByTestId('draft-file')
  await expect(draft).toHaveAttribute('data-status', 'ready')
  await chat.composer.fill('summarise my notes')
  await chat.composer.press('Enter')

  await chat.upgradeDialog.getByRole('button', { name: 'Upgrade to Premium' }).click()
  await page.getByRole('button', { name: 'Subscribe (test)' }).click()

  await expect(page).toHaveURL(new RegExp(`${chatPath}$`))
  await expect(chat.meter).toHaveText(/^Premium · unlimited( messages)?$/, { useInnerText: true })
  await expect(chat.composer).toHaveValue('summarise my notes')
  await expect(draft).toHaveAttribute('data-status', 'ready')
  await expect(draft).toContainText('notes.md')
  await chat.composer.press('Enter')

  const sent = chat.userMessages().last()
  await expect(sent).toContainText('summarise my notes')
  await expect(sent.getByTestId('message-file')).toContainText('notes.md')
  await expect(draft).toHaveCount(0)
  await chat.replyFinished()
  await expect(chat.assistantMessages()).toHaveCount(MESSAGE_LIMIT + 1)
})

test('a send refused for a file removed meanwhile says which file, keeps the text, and goes once it is taken out', async ({ page, chat, signedIn: account }, testInfo) => {
  expectConsoleErrors(testInfo, /status of (409|404)/) // the refused send; the removed file asked for and removed here too
  const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/attachments') && r.request().method() === 'POST')
  await page.getByTestId('file-input').setInputFiles([notes])
  const { id } = (await (await uploaded).json()) as { id: string }
  const draft = page.getByTestId('draft-file')
  await expect(draft).toHaveAttribute('data-status', 'ready')

  // Removed elsewhere (another device of the same user), after this page attached it.
  const session = (await (await page.request.post('/api/auth/login', { data: account })).json()) as { accessToken: string }
  const removed = await page.request.delete(`/api/attachments/${id}`, { headers: { Authorization: `Bearer ${session.accessToken}` } })
  expect(removed.status()).toBe(204)

  await chat.composer.fill('what do my notes say?')
  await chat.composer.press('Enter')

  await expect(page.getByRole('alert').filter({ hasText: 'was removed' }).first()).toBeVisible()
  await expect(draft).toHaveAttribute('data-status', 'failed')
  await expect(draft).toContainText('This file was removed')
  await expect(chat.composer).toHaveValue('what do my notes say?')
  await expect(chat.userMessages()).toHaveCount(0)
  await snap(page, 'attachments-refused', testInfo.project.name)

  await page.getByRole('button', { name: 'Remove notes.md' }).click()
  await chat.composer.press('Enter')
  await expect(chat.userMessages().last()).toContainText('what do my notes say?')
  await expect(chat.userMessages().last().getByTestId('message-file')).toHaveCount(0)
})
