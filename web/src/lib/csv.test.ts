import { describe, expect, it } from 'vitest'
import { toCsv } from './csv'

describe('toCsv', () => {
  it('writes a header and rows, quoting what needs it', () => {
    expect(toCsv(['a', 'b'], [[1, 'plain'], ['with, comma', 'say "hi"'], [null, 'two\nlines']])).toBe(
      'a,b\r\n1,plain\r\n"with, comma","say ""hi"""\r\n,"two\nlines"\r\n',
    )
  })

  it('never lets a cell run as a formula in a spreadsheet', () => {
    expect(toCsv(['email'], [['=HYPERLINK("http://x")'], ['+1'], ['-2'], ['@sum'], ['ok@example.com']])).toBe(
      'email\r\n"\'=HYPERLINK(""http://x"")"\r\n\'+1\r\n\'-2\r\n\'@sum\r\nok@example.com\r\n',
    )
  })

  it('keeps numbers as numbers, negative ones included', () => {
    expect(toCsv(['n'], [[-3], [0.25]])).toBe('n\r\n-3\r\n0.25\r\n')
  })
})
