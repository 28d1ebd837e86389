/** A piece of text, marked when a search matched it (the server's SnippetPart). */
export type SnippetPart = { text: string; match: boolean }

/** Lower case without diacritics: how both search engines compare words. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase()
}

/** The words of a query, as the server reads them (quotes only group). */
export function queryWords(q: string): string[] {
  return fold(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
}

/**
 * A title as snippet parts, the words of the query that start a word marked; null when one of them is in none
 * (every word must match, the last as a prefix: the server's rule, so the list does not jump when results come).
 */
export function markTitle(title: string, q: string): SnippetPart[] | null {
  const words = queryWords(q)
  if (words.length === 0) return null
  const folded = fold(title)
  // Folding can change the length (ß, ligatures): mark only when it did not, else show the title plain.
  const sameLength = folded.length === title.length
  const marks: [number, number][] = []
  for (const word of words) {
    const found = [...folded.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escape(word)}`, 'gu'))]
    if (found.length === 0) return null
    for (const m of found) marks.push([m.index, wordEnd(folded, m.index + word.length)])
  }
  if (!sameLength) return [{ text: title, match: false }]
  marks.sort((a, b) => a[0] - b[0])
  const parts: SnippetPart[] = []
  let at = 0
  for (const [start, end] of marks) {
    if (end <= at) continue
    const from = Math.max(start, at)
    if (from > at) parts.push({ text: title.slice(at, from), match: false })
    parts.push({ text: title.slice(from, end), match: true })
    at = end
  }
  if (at < title.length) parts.push({ text: title.slice(at), match: false })
  return parts
}

/** Where the word that goes on at <paramref>from</paramref> ends. */
function wordEnd(text: string, from: number): number {
  let end = from
  while (end < text.length && /[\p{L}\p{N}]/u.test(text[end]!)) end++
  return end
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Where the query's words start a word in <paramref>text</paramref>: [start, end) offsets in the original text,
 * compared without case and diacritics.
 */
export function findWords(text: string, q: string): [number, number][] {
  const words = queryWords(q)
  if (words.length === 0) return []
  // The folded text, with the original offset of each of its characters.
  let folded = ''
  const origin: number[] = []
  for (let i = 0; i < text.length; i++) {
    const f = fold(text[i]!)
    folded += f
    for (let k = 0; k < f.length; k++) origin.push(i)
  }
  origin.push(text.length)
  const found: [number, number][] = []
  for (const word of words) {
    for (const m of folded.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escape(word)}`, 'gu'))) {
      // The whole word is marked, as the server marks its snippets, not only the prefix typed.
      found.push([origin[m.index]!, origin[wordEnd(folded, m.index + word.length) - 1]! + 1])
    }
  }
  return found.sort((a, b) => a[0] - b[0])
}

/**
 * A reply's snippet as the reader sees the reply: without the Markdown markup its text is stored with (emphasis
 * and code marks, heading and quote markers). The matched words are untouched; a lone `*` (as in `2 * 3`) stays.
 */
export function plainSnippet(parts: SnippetPart[]): SnippetPart[] {
  return parts
    .map((p) =>
      p.match
        ? p
        : {
            ...p,
            text: p.text
              .replace(/\*\*|__|~~|`+/g, '')
              .replace(/(^|\n)[ \t]*(?:#{1,6}|>+)[ \t]+/g, '$1')
              .replace(/\s*\n\s*/g, ' '),
          },
    )
    .filter((p) => p.text.length > 0)
}
