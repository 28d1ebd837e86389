import { useState } from 'react'
import { useNavigate, useParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { Dialog } from '@/components/ui/dialog'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/problem'
import { flattenChats, useChats } from '../api/list-chats'
import { useDeleteChat } from '../api/delete-chat'
import { useRenameChat } from '../api/rename-chat'
import type { Chat } from '../api/types'
import { ChatListItem } from './chat-list-item'

export function ChatSidebar({ onNavigate }: { onNavigate?: () => void }) {
  const chats = useChats()
  const rename = useRenameChat()
  const remove = useDeleteChat()
  const navigate = useNavigate()
  const { chatId } = useParams()
  const [confirming, setConfirming] = useState<Chat | null>(null)
  const items = flattenChats(chats.data)

  function confirmDelete() {
    if (!confirming) return
    const id = confirming.id
    setConfirming(null)
    remove.mutate(id, { onSuccess: () => String(id) === chatId && navigate('/') })
  }

  return (
    <nav aria-label="Chats" className="flex min-h-0 flex-1 flex-col">
      <div className="p-3">
        <Button
          variant="secondary"
          className="w-full justify-start"
          onClick={() => {
            navigate('/')
            onNavigate?.()
          }}
        >
          <span aria-hidden className="text-lg leading-none">+</span> New chat
        </Button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto pb-3">
        {chats.isPending && (
          <div className="flex justify-center p-4 text-zinc-400">
            <Spinner label="Loading chats" />
          </div>
        )}
        {chats.isError && (
          <p role="alert" className="px-4 py-2 text-sm text-red-600">
            {errorMessage(chats.error)}{' '}
            <button type="button" className="underline" onClick={() => void chats.refetch()}>
              Try again
            </button>
          </p>
        )}
        {chats.isSuccess && items.length === 0 && <p className="px-4 py-2 text-sm text-zinc-500">No chats yet.</p>}
        <ul className="flex flex-col gap-0.5" data-testid="chat-list">
          {items.map((chat) => (
            <ChatListItem
              key={chat.id}
              chat={chat}
              onNavigate={onNavigate}
              onRename={(title) => rename.mutate({ chatId: chat.id, title })}
              onDelete={() => setConfirming(chat)}
            />
          ))}
        </ul>
        {chats.hasNextPage && (
          <div className="px-3 pt-2">
            <Button variant="ghost" className="w-full" disabled={chats.isFetchingNextPage} onClick={() => void chats.fetchNextPage()}>
              {chats.isFetchingNextPage ? 'Loading…' : 'Show older chats'}
            </Button>
          </div>
        )}
        {(rename.isError || remove.isError) && (
          <p role="alert" className="px-4 py-2 text-sm text-red-600">
            {errorMessage(rename.error ?? remove.error)}
          </p>
        )}
      </div>
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} title="Delete chat?" testId="delete-dialog">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          “{confirming?.title}” and all its messages will be deleted. This cannot be undone.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            Cancel
          </Button>
          <Button variant="danger" onClick={confirmDelete}>
            Delete
          </Button>
        </div>
      </Dialog>
    </nav>
  )
}
