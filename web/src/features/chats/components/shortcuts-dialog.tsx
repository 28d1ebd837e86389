import { Dialog } from '@/components/ui/dialog'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const mod = isMac ? '⌘' : 'Ctrl'

/** The keyboard shortcuts, as the chat screen handles them (useChatShortcuts). */
export const shortcuts: { keys: string[]; what: string }[] = [
  { keys: [mod, 'K'], what: 'Search chats and messages' },
  { keys: [mod, 'Shift', 'O'], what: 'New chat' },
  { keys: ['Shift', 'Esc'], what: 'Focus the message box' },
  { keys: ['/'], what: 'Focus the message box (when not typing)' },
  { keys: ['Esc'], what: 'Stop the reply being written' },
  { keys: ['Enter'], what: 'Send' },
  { keys: ['Shift', 'Enter'], what: 'New line' },
  { keys: ['?'], what: 'Show these shortcuts (when not typing)' },
]

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" testId="shortcuts-dialog">
      <dl className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
        {shortcuts.map((s) => (
          <div key={s.what} className="flex items-center justify-between gap-4 py-2">
            <dt className="text-zinc-700 dark:text-zinc-300">{s.what}</dt>
            <dd className="flex shrink-0 gap-1">
              {s.keys.map((k) => (
                <kbd key={k} className="rounded-md border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs text-zinc-800 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
                  {k}
                </kbd>
              ))}
            </dd>
          </div>
        ))}
      </dl>
      <div className="mt-5 flex justify-end">
        <button type="button" onClick={onClose} className="rounded-lg px-3.5 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          Close
        </button>
      </div>
    </Dialog>
  )
}
