import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from '@playwright/test'

/**
 * The link to `page` in the newest mail to `to`, as the server wrote it to the run's mail folder
 * (Mail__PickupDirectory); waits up to 10 s for it, and for more than `after` such mails.
 */
export async function linkMailedTo(to: string, page: string, after = 0): Promise<string> {
  const folder = process.env.PARLEY_E2E_MAIL!
  const pattern = new RegExp(`https?://\\S+/${page}#token=[A-Za-z0-9_-]+`)
  let links: string[] = []
  await expect(async () => {
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'))
    const mails = await Promise.all(names.map(async (n) => ({ at: (await stat(join(folder, n))).mtimeMs, text: await readFile(join(folder, n), 'utf8') })))
    links = mails
      .filter((m) => m.text.includes(`To: ${to}`))
      .sort((a, b) => a.at - b.at)
      .flatMap((m) => pattern.exec(m.text)?.[0] ?? [])
    expect(links.length).toBeGreaterThan(after)
  }).toPass({ timeout: 10_000 })
  return links.at(-1)!
}
