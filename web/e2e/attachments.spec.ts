import { expect, expectConsoleErrors, snap, test } from './fixtures'
import { deliver, png } from './pages/files'

test('files are attached by button, paste and drop, previewed, removed, kept over a reload, sent and shown; a document downloads', async ({ page, chat, signedIn }, testInfo) => {
  void signedIn
  expectConsoleErrors(testInfo, /status of 415/) // the script, refused on purpose
  const tray = page.getByRole('list', { name: 'Attached files' })
  const drafts = page.getByTestId('draft-file')

  // The button (a file picker): an image and a document.
  await page.getByTestId('file-input').setInputFiles([
    { name: 'chart.png', mimeType: 'image/png', buffer: await png(page) },
    { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Launch notes\n\nShip on Friday.\n') },
  ])
  await expect(drafts).toHaveCount(2)
  await expect(tray.locator('[data-status="ready"]')).toHaveCount(2)
  await expect(drafts.filter({ hasText: 'chart.png' }).locator('img')).toBeVisible()
  await expect(drafts.filter({ hasText: 'notes.md' })).toContainText('bytes')

  // A pasted screenshot and a dropped file come in the same way; a script is refused with why.
  await deliver(page, 'textarea[aria-label="Message"]', 'paste', 'screenshot.png', 'image/png', await png(page, 90, 60))
  await deliver(page, '[data-testid="composer-box"]', 'drop', 'run.sh', 'text/x-sh', Buffer.from('#!/bin/sh\necho hi\n'))
  await expect(drafts).toHaveCount(4)
  await expect(drafts.filter({ hasText: 'screenshot.png' })).toHaveAttribute('data-status', 'ready')
  const refused = drafts.filter({ hasText: 'run.sh' })
  await expect(refused).toHaveAttribute('data-status', 'failed')
  await expect(refused.getByRole('alert')).toContainText("Programs and scripts can't be attached")
  await snap(page, 'attachments-draft', testInfo.project.name)

  // Removing: the refused one and the screenshot go; the others stay, and stay over a reload.
  await page.getByRole('button', { name: 'Remove run.sh' }).click()
  await page.getByRole('button', { name: 'Remove screenshot.png' }).click()
  await expect(drafts).toHaveCount(2)
  await chat.composer.fill('what are these?')
  await page.reload()
  await expect(drafts).toHaveCount(2)
  await expect(chat.composer).toHaveValue('what are these?')

  await chat.composer.press('Enter')
  const sent = chat.userMessages().last()
  await expect(sent.getByTestId('message-file')).toHaveCount(2)
  await expect(drafts).toHaveCount(0)
  await chat.replyFinished()
  await expect(chat.assistantMessages().last()).toContainText('I got these files')
  await expect(chat.assistantMessages().last()).toContainText('notes.md')
  const image = sent.getByRole('img', { name: 'chart.png' })
  await expect(image).toBeVisible()
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0) // the signed link works
  await snap(page, 'attachments-sent', testInfo.project.name)

  const download = page.waitForEvent('download')
  await sent.getByRole('link', { name: /notes\.md/ }).click()
  expect((await download).suggestedFilename()).toBe('notes.md')

  // Still there when the chat is opened again; the account page counts the room they take.
  await page.reload()
  await expect(chat.userMessages().last().getByTestId('message-file')).toHaveCount(2)
  await page.goto('/account')
  await expect(page.getByTestId('storage-summary')).toContainText(/\d+ (bytes|KB) of 100\.0 MB used by your files/)
})
