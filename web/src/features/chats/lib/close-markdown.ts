const delimiters = ['**', '__', '~~', '*', '_', '`'] as const
type Delimiter = (typeof delimiters)[number]

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c)
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c)

/**
 * Closes what a reply cut short left open, so it renders as the Markdown it was becoming rather than as stray
 * markers: an open code fence, and emphasis, strikethrough or inline code opened in the last paragraph
 * ("_No AI model is conn" shows in italics, not as "_No AI…"). Used for replies that are streaming, stopped,
 * interrupted or failed; a finished reply is shown as written.
 */
export function closeMarkdown(text: string): string {
  const fences = text.match(/^ {0,3}(```|~~~)/gm) ?? []
  if (fences.length % 2 === 1) return `${text}${text.endsWith('\n') ? '' : '\n'}${fences.at(-1)!.trim()}`

  const lastBreak = text.lastIndexOf('\n\n')
  const paragraphStart = lastBreak < 0 ? 0 : lastBreak + 2
  const open: Delimiter[] = []
  for (let i = paragraphStart; i < text.length; ) {
    const c = text[i]!
    if (c === '\\') {
      i += 2
      continue
    }
    if (open.at(-1) === '`') {
      if (c === '`') open.pop()
      i++
      continue
    }
    const delimiter = delimiters.find((d) => text.startsWith(d, i))
    if (!delimiter) {
      i++
      continue
    }
    const before = text[i - 1]
    const after = text[i + delimiter.length]
    const atLineStart = i === 0 || before === '\n'
    if (delimiter === '*' && atLineStart && after === ' ') {
      i++ // a list bullet
      continue
    }
    const canClose = !isSpace(before)
    const canOpen = !isSpace(after) && !(delimiter === '_' && isWordChar(before))
    if (canClose && open.at(-1) === delimiter) open.pop()
    else if (canOpen) open.push(delimiter)
    i += delimiter.length
  }
  return text.trimEnd() + open.reverse().join('')
}
