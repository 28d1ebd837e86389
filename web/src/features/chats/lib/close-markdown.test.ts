import { closeMarkdown } from './close-markdown'

describe('closeMarkdown', () => {
  it('closes emphasis cut short', () => {
    expect(closeMarkdown("I'm Parley. _No AI model is conn")).toBe("I'm Parley. _No AI model is conn_")
    expect(closeMarkdown('a **bold start')).toBe('a **bold start**')
    expect(closeMarkdown('**bold and _both')).toBe('**bold and _both_**')
  })

  it('closes an open code fence with the same fence', () => {
    expect(closeMarkdown('Here:\n\n```python\ndef greet(')).toBe('Here:\n\n```python\ndef greet(\n```')
  })

  it('closes inline code, and ignores markers inside it', () => {
    expect(closeMarkdown('run `npm i *x')).toBe('run `npm i *x`')
  })

  it('leaves balanced or non-emphasis markers alone', () => {
    expect(closeMarkdown('2 * 3 = 6')).toBe('2 * 3 = 6')
    expect(closeMarkdown('**done** and _done_')).toBe('**done** and _done_')
    expect(closeMarkdown('snake_case_name')).toBe('snake_case_name')
    expect(closeMarkdown('* a list item')).toBe('* a list item')
    expect(closeMarkdown('an escaped \\* star')).toBe('an escaped \\* star')
  })

  it('only looks at the last paragraph', () => {
    expect(closeMarkdown('an odd * earlier\n\nthen _cut')).toBe('an odd * earlier\n\nthen _cut_')
  })
})
