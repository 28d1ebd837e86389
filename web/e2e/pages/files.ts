import type { Page } from '@playwright/test'

/** A real PNG drawn by the browser: red on the left, blue on the right. */
export async function png(page: Page, width = 240, height = 160): Promise<Buffer> {
  const url = await page.evaluate(([w, h]) => {
    const canvas = document.createElement('canvas')
    canvas.width = w!
    canvas.height = h!
    const g = canvas.getContext('2d')!
    g.fillStyle = '#c00'
    g.fillRect(0, 0, w! / 2, h!)
    g.fillStyle = '#06c'
    g.fillRect(w! / 2, 0, w! / 2, h!)
    return canvas.toDataURL('image/png')
  }, [width, height])
  return Buffer.from(url.split(',')[1]!, 'base64')
}

/** Fires a paste or a drop carrying a file, as the browser does for a screenshot pasted or a file dragged in. */
export async function deliver(page: Page, selector: string, how: 'paste' | 'drop', name: string, type: string, bytes: Buffer) {
  await page.locator(selector).first().evaluate(
    (el, { how, name, type, b64 }) => {
      const data = new DataTransfer()
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }))
      const event = how === 'paste'
        ? new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true })
        : new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })
      el.dispatchEvent(event)
    },
    { how, name, type, b64: bytes.toString('base64') },
  )
}
