import { toJsxRuntime } from 'hast-util-to-jsx-runtime'
import { useEffect, useMemo, useState, type ComponentProps } from 'react'
import { Fragment, jsx, jsxs } from 'react/jsx-runtime'
import { highlight, loadLanguage } from '../lib/highlight'
import { CopyButton } from './copy-button'

function textOf(node: unknown): string {
  if (typeof node === 'string') return node
  if (Array.isArray(node)) return node.map(textOf).join('')
  if (node && typeof node === 'object' && 'props' in node) {
    return textOf((node as { props: { children?: unknown } }).props.children)
  }
  return ''
}

/**
 * A fenced code block with its language and a copy button. Highlighted as React elements built from the syntax
 * tree (never as HTML); a language whose grammar is not loaded shows as plain code until it arrives.
 */
export function CodeBlock({ children, node: _node, ...props }: ComponentProps<'pre'> & { node?: unknown }) {
  const code = textOf(children).replace(/\n$/, '')
  const language = /language-([\w#+-]+)/
    .exec((children as { props?: { className?: string } } | undefined)?.props?.className ?? '')?.[1]
    ?.toLowerCase()
  const [grammarsLoaded, setGrammarsLoaded] = useState(0)

  const tree = useMemo(() => highlight(code, language), [code, language, grammarsLoaded])
  useEffect(() => {
    if (!language || tree) return
    let current = true
    void loadLanguage(language).then((loaded) => current && loaded && setGrammarsLoaded((n) => n + 1))
    return () => {
      current = false
    }
  }, [language, tree])

  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <div className="flex items-center justify-between bg-zinc-100 py-0.5 pr-1 pl-3 text-xs text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
        <span>{language ?? 'code'}</span>
        <CopyButton text={code} label="Copy code" compact />
      </div>
      {/* Focusable, so a code line wider than the screen can be scrolled from the keyboard. */}
      <pre {...props} tabIndex={0} aria-label={`${language ?? 'Code'} code`} className="overflow-x-auto bg-zinc-50 p-3 font-mono text-[13px] leading-relaxed dark:bg-zinc-950">
        <code className={language ? `hljs language-${language}` : undefined}>
          {tree ? toJsxRuntime(tree, { Fragment, jsx, jsxs }) : code}
        </code>
      </pre>
    </div>
  )
}
