import { useSuggestions } from '../api/get-suggestions'

/** A chat with no messages yet: a greeting and the operator's prompt suggestions, each sent with a click. */
export function EmptyChat({ onPick, disabled }: { onPick: (prompt: string) => void; disabled: boolean }) {
  const suggestions = useSuggestions()
  return (
    <div className="grid flex-1 place-items-center p-6 text-center">
      <div className="max-w-md">
        <h2 className="text-2xl font-semibold">How can I help?</h2>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">Ask anything, or start with one of these.</p>
        {suggestions.data && (
          <ul className="mt-5 grid gap-2 text-left sm:grid-cols-2" aria-label="Suggestions">
            {suggestions.data.map((prompt) => (
              <li key={prompt}>
                <button
                  type="button"
                  onClick={() => onPick(prompt)}
                  disabled={disabled}
                  className="h-full w-full rounded-xl border border-zinc-200 px-4 py-3 text-left text-sm text-zinc-700 transition-colors hover:border-zinc-300 hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-800 dark:text-zinc-300 dark:hover:border-zinc-700 dark:hover:bg-zinc-900"
                >
                  {prompt}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
