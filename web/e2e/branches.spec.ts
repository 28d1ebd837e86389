import { expect, snap, test } from './fixtures'

test('regenerate a reply, edit a question, and move between the branches', async ({ page, chat, signedIn: _ }, testInfo) => {
  await chat.send('what is 6 * 7')
  const reply = chat.assistantMessages().last()
  await expect(reply).toContainText('6 * 7 = 42')

  // Regenerate: a second version of the reply.
  await reply.getByRole('button', { name: 'Regenerate' }).click()
  await chat.replyFinished()
  await expect(chat.assistantMessages().last().getByTestId('sibling-nav')).toHaveText('‹2 / 2›')
  await chat.assistantMessages().last().getByRole('button', { name: 'Previous version' }).click()
  await expect(chat.assistantMessages().last().getByTestId('sibling-nav')).toHaveText('‹1 / 2›')

  // Edit the question: a new branch with its own reply.
  const question = chat.userMessages().first()
  await question.getByRole('button', { name: 'Edit message' }).click()
  await page.getByRole('textbox', { name: 'Edit message' }).fill('what is 7 * 8')
  await page.getByRole('button', { name: 'Send edit' }).click()
  await chat.replyFinished()
  await expect(chat.assistantMessages().last()).toContainText('7 * 8 = 56')
  await expect(chat.userMessages().first().getByTestId('sibling-nav')).toHaveText('‹2 / 2›')
  await snap(page, 'branches', testInfo.project.name)

  // Back to the first question: its conversation is still there.
  await chat.userMessages().first().getByRole('button', { name: 'Previous version' }).click()
  await expect(chat.userMessages().first()).toContainText('what is 6 * 7')
  await expect(chat.assistantMessages().last()).toContainText('6 * 7 = 42')
})
