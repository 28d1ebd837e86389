import type { SnippetPart } from '../api/search'

/** Text with the words a search matched marked; parts are text, never markup. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-zinc-950 dark:bg-amber-300/85">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  )
}
