import { useState } from 'react'
import { Dialog } from '@/components/ui/dialog'
import { SearchPanel, type SearchTarget } from './search-panel'

/** The same search as the sidebar's, in a dialog: Ctrl/⌘+K from anywhere, or the header's search button. */
export function SearchPalette({
  open,
  onClose,
  chats,
  onOpen,
}: {
  open: boolean
  onClose: () => void
  chats: { id: number; title: string }[]
  onOpen: (target: SearchTarget) => void
}) {
  const [value, setValue] = useState('')
  return (
    <Dialog open={open} onClose={onClose} title="Search chats and messages" testId="search-palette" wide>
      <div className="flex max-h-[70vh] flex-col">
        <SearchPanel
          value={value}
          onChange={setValue}
          chats={chats}
          autoFocus
          onOpen={(target) => {
            onClose()
            onOpen(target)
          }}
        />
        {!value.trim() ? (
          <p className="px-4 pb-2 text-sm text-zinc-600 dark:text-zinc-400">Type to search every chat: titles, your messages and replies.</p>
        ) : (
          <p aria-hidden className="border-t border-zinc-200 px-4 pt-2 text-xs text-zinc-600 pointer-coarse:hidden dark:border-zinc-800 dark:text-zinc-400">
            ↑ ↓ to move · Enter to open · Esc to close
          </p>
        )}
      </div>
    </Dialog>
  )
}
