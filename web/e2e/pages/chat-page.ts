import { expect, type Locator, type Page } from '@playwright/test'

/** The chat screen. On a phone the sidebar is a drawer; methods that need it open it first. */
export class ChatPage {
  readonly composer: Locator
  readonly sendButton: Locator
  readonly messages: Locator
  readonly meter: Locator
  readonly title: Locator
  readonly upgradeDialog: Locator

  constructor(readonly page: Page) {
    this.composer = page.getByRole('textbox', { name: 'Message' })
    this.sendButton = page.getByRole('button', { name: 'Send message' })
    this.messages = page.getByTestId('message')
    this.meter = page.getByTestId('usage-meter')
    this.title = page.getByTestId('chat-title')
    this.upgradeDialog = page.getByTestId('upgrade-dialog')
  }

  assistantMessages() {
    return this.page.locator('[data-testid="message"][data-role="assistant"]')
  }

  userMessages() {
    return this.page.locator('[data-testid="message"][data-role="user"]')
  }

  /**
   * Slows what the browser receives (Chromium's network throttling) so a reply is still arriving after the test's
   * next steps, however busy the machine; `null` lifts it. The long answer is about 5 KB of events.
   */
  async throttleDownloads(bytesPerSecond: number | null) {
    const cdp = await this.page.context().newCDPSession(this.page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: bytesPerSecond ?? -1,
      uploadThroughput: -1,
    })
  }

  /** Types a message and sends it with Enter, then waits for the bot's reply to appear. */
  async send(text: string) {
    const before = await this.assistantMessages().count()
    await this.composer.fill(text)
    await this.composer.press('Enter')
    await expect(this.assistantMessages()).toHaveCount(before + 1)
    await this.replyFinished()
  }

  /** Waits until no reply is streaming (the Stop button is gone). */
  async replyFinished() {
    await expect(this.page.getByRole('button', { name: 'Stop' })).toHaveCount(0)
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0)
  }

  async sidebar(): Promise<Locator> {
    const nav = this.page.getByRole('navigation', { name: 'Chats' })
    const menu = this.page.getByRole('button', { name: 'Open menu' })
    await this.title.waitFor() // the chat screen is there (not the loading screen after a reload)
    if (!(await nav.isVisible()) && (await menu.isVisible())) await menu.click()
    await expect(nav).toBeInViewport()
    return nav
  }

  async newChat() {
    await (await this.sidebar()).getByRole('button', { name: 'New chat' }).click()
    await expect(this.page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
  }

  async chatItems() {
    return (await this.sidebar()).getByTestId('chat-item')
  }

  async openChat(title: string) {
    await (await this.sidebar()).getByRole('link', { name: title }).click()
    await expect(this.title).toHaveText(title)
  }

  /** A chat's action: a button shown on hover with a mouse, an item of the "More" menu on a touch screen. */
  async chatAction(title: string, action: 'Rename' | 'Delete') {
    const nav = await this.sidebar()
    const more = nav.getByRole('button', { name: `More for ${title}` })
    if (await more.isVisible()) {
      await more.click()
      await nav.getByRole('menuitem', { name: action }).click()
    } else {
      await nav.getByRole('link', { name: title }).hover()
      await nav.getByRole('button', { name: `${action} ${title}` }).click()
    }
    return nav
  }

  async rename(from: string, to: string) {
    const nav = await this.chatAction(from, 'Rename')
    const input = nav.getByRole('textbox', { name: 'Chat title' })
    await input.fill(to)
    await input.press('Enter')
    await expect(nav.getByRole('link', { name: to })).toBeVisible()
  }

  /** Deletes a chat; a toast offers Undo for a few seconds (see deleteChat's UNDO_MS). */
  async delete(title: string) {
    const nav = await this.chatAction(title, 'Delete')
    await expect(nav.getByRole('link', { name: title })).toHaveCount(0)
    await expect(this.page.getByTestId('toast').filter({ hasText: `Deleted “${title}”` })).toBeVisible()
  }

  async closeDrawer() {
    const close = this.page.getByRole('button', { name: 'Close menu' })
    if (await close.isVisible()) await close.click()
  }

  async signOut() {
    await this.sidebar()
    await this.page.getByRole('complementary', { name: 'Sidebar' }).getByRole('button', { name: /plan$/ }).click()
    await this.page.getByRole('menuitem', { name: 'Sign out' }).click()
    await expect(this.page.getByRole('heading', { name: 'Welcome back' })).toBeVisible()
  }
}
