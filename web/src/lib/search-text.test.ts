import { describe, expect, it } from 'vitest'
import { findWords, fold, markTitle, plainSnippet, queryWords } from './search-text'

describe('search matching in the browser', () => {
  it('folds case and diacritics', () => {
    expect(fold('Crème Brûlée')).toBe('creme brulee')
    expect(queryWords('"Café" au-lait  ')).toEqual(['cafe', 'au', 'lait'])
  })

  it('marks the words that start a word, every word required', () => {
    expect(markTitle('Trip to Zürich', 'zur')).toEqual([
      { text: 'Trip to ', match: false },
      { text: 'Zürich', match: true },
    ])
    expect(markTitle('Trip to Zürich', 'rich')).toBeNull()
    expect(markTitle('Trip to Zürich', 'trip paris')).toBeNull()
    expect(markTitle('Trip to Zürich', '   ')).toBeNull()
  })
})

describe('finding the words of a query in text', () => {
  it('gives offsets in the original text, diacritics and case ignored', () => {
    const text = 'Une Crème brûlée, et une crème anglaise'
    expect(findWords(text, 'creme').map(([s, e]) => text.slice(s, e))).toEqual(['Crème', 'crème'])
    expect(findWords(text, 'brul ang').map(([s, e]) => text.slice(s, e))).toEqual(['brûlée', 'anglaise'])
    expect(findWords(text, 'rème')).toEqual([])
  })
})

describe('a reply snippet as it reads', () => {
  it('drops Markdown marks and keeps the matched words and a lone asterisk', () => {
    const parts = [
      { text: '## Answer\n> **(', match: false },
      { text: '12', match: true },
      { text: ' + `x`) * 2 = 84** and ~~not~~ __this__', match: false },
    ]
    expect(plainSnippet(parts)).toEqual([
      { text: 'Answer (', match: false },
      { text: '12', match: true },
      { text: ' + x) * 2 = 84 and not this', match: false },
    ])
  })

  it('leaves no empty parts behind', () => {
    expect(plainSnippet([{ text: '**', match: false }, { text: 'bold', match: true }, { text: '**', match: false }])).toEqual([
      { text: 'bold', match: true },
    ])
  })
})
