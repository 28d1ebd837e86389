import type { ReactNode } from 'react'
import { useNavigate, useParams } from 'react-router'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { errorMessage } from '@/lib/problem'
import { flattenChats, useChats } from '../api/list-chats'
import { useDeleteChat } from '../api/delete-chat'
import { useRenameChat } from '../api/rename-chat'
import type { Chat } from '../api/types'
import { groupByActivity } from '../lib/group-chats'
import { ChatListItem } from './chat-list-item'

/** The chat list under New chat and the search field; while searching, the results take the list's place. */
export function ChatSidebar({ onNavigate, search, searching = false }: { onNavigate?: () => void; search?: ReactNode; searching?: boolean }) {
  const chats = useChats()
  const rename = useRenameChat()
  const remove = useDeleteChat()
  const navigate = useNavigate()
  const { chatId } = useParams()
  const items = flattenChats(chats.data)

  function onDelete(chat: Chat) {
    if (String(chat.id) === chatId) navigate('/')
    remove(chat)
  }

  return (
    <nav aria-label="Chats" className="flex min-h-0 flex-1 flex-col">
      <div className="p-3 pb-2">
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
      <div className={searching ? 'flex min-h-0 flex-1 flex-col' : ''}>{search}</div>
      <div className={searching ? 'hidden' : 'min-h-0 flex-1 overflow-y-auto pb-3'}>
        {chats.isPending && (
          <div role="status" aria-label="Loading chats" className="flex flex-col gap-3 px-4 pt-3">
            {[80, 65, 90, 55].map((w) => (
              <Skeleton key={w} className="h-4" style={{ width: `${w}%` }} />
            ))}
          </div>
        )}
        {chats.isError && (
          <p role="alert" className="px-4 py-2 text-sm text-red-700 dark:text-red-400">
            {errorMessage(chats.error)}{' '}
            <button type="button" className="underline" onClick={() => void chats.refetch()}>
              Try again
            </button>
          </p>
        )}
        {chats.isSuccess && items.length === 0 && <p className="px-4 py-2 text-sm text-zinc-500 dark:text-zinc-400">No chats yet.</p>}
        <div data-testid="chat-list">
          {groupByActivity(items).map((group) => (
            <section key={group.label} aria-labelledby={`chats-${group.key}`} className="mb-3">
              <h2 id={`chats-${group.key}`} className="px-4 pt-2 pb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
                {group.label}
              </h2>
              <ul className="flex flex-col gap-0.5">
                {group.chats.map((chat) => (
                  <ChatListItem
                    key={chat.id}
                    chat={chat}
                    onNavigate={onNavigate}
                    onRename={(title) => rename.mutate({ chatId: chat.id, title })}
                    onDelete={() => onDelete(chat)}
                  />
                ))}
              </ul>
            </section>
          ))}
        </div>
        {chats.hasNextPage && (
          <div className="px-3 pt-2">
            <Button variant="ghost" className="w-full" disabled={chats.isFetchingNextPage} onClick={() => void chats.fetchNextPage()}>
              {chats.isFetchingNextPage ? 'Loading…' : 'Show older chats'}
            </Button>
          </div>
        )}
        {rename.isError && (
          <p role="alert" className="px-4 py-2 text-sm text-red-700 dark:text-red-400">
            {errorMessage(rename.error)}
          </p>
        )}
      </div>
    </nav>
  )
}
