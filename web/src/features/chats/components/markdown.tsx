import { memo } from 'react'
import Markdown from 'react-markdown'
import remarkGfm from 'remark-gfm'
import { CodeBlock } from './code-block'

/**
 * Bot replies as GitHub-flavoured Markdown. Raw HTML is never rendered (skipHtml, and no rehype-raw), and
 * react-markdown's default URL filter drops javascript: and other unsafe links. Parsing is the costly part of showing a
 * chat, so a reply is parsed again only when its text changes (not when the screen around it renders).
 */
export const MarkdownMessage = memo(function MarkdownMessage({ text }: { text: string }) {
  return (
    <div className="prose-chat">
      <Markdown
        skipHtml
        remarkPlugins={[remarkGfm]}
        components={{
          pre: CodeBlock,
          a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
          table: ({ node: _node, ...props }) => (
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Table">
              <table {...props} />
            </div>
          ),
        }}
      >
        {text}
      </Markdown>
    </div>
  )
})
