import { render } from '@testing-library/react'
import { MarkdownMessage } from './markdown'

describe('MarkdownMessage', () => {
  it('renders GFM: tables, emphasis and highlighted code', () => {
    const { container } = render(
      <MarkdownMessage text={'**bold** and a table\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```js\nconst x = 1\n```'} />,
    )
    expect(container.querySelector('strong')).toHaveTextContent('bold')
    expect(container.querySelector('table')).not.toBeNull()
    expect(container.querySelector('pre code.hljs')).not.toBeNull()
  })

  it('never renders raw HTML', () => {
    const { container } = render(
      <MarkdownMessage text={'<img src=x onerror="alert(1)"> <script>alert(2)</script> <b>b</b>\n\n<iframe src="https://evil"></iframe>'} />,
    )
    expect(container.querySelector('img, script, iframe, b')).toBeNull()
  })

  it('drops javascript: links', () => {
    const { container } = render(<MarkdownMessage text={'[click](javascript:alert(1))'} />)
    expect(container.querySelector('a')?.getAttribute('href') ?? '').not.toContain('javascript')
  })

  it('opens links in a new tab without an opener', () => {
    const { container } = render(<MarkdownMessage text={'[docs](https://example.com)'} />)
    expect(container.querySelector('a')).toHaveAttribute('rel', 'noopener noreferrer nofollow')
  })
})
