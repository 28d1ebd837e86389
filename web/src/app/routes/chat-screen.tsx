import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { Link, useLocation, useMatch, useNavigate, useParams } from 'react-router'
import { AccountMenu } from '@/features/account/components/account-menu'
import { useBilling } from '@/features/billing/api/get-billing'
import { useOpenPortal } from '@/features/billing/api/open-portal'
import { useStartCheckout } from '@/features/billing/api/start-checkout'
import { ModelPicker } from '@/features/chats/components/model-picker'
import { ConnectionBanner } from '@/app/connection-banner'
import { IconButton, icons } from '@/components/ui/icon-button'
import { PastDueBanner } from '@/features/billing/components/past-due-banner'
import { TestModeBanner } from '@/features/billing/components/test-mode-banner'
import { useCreateChat } from '@/features/chats/api/create-chat'
import { flattenChats, useChats } from '@/features/chats/api/list-chats'
import { useChatHistory } from '@/features/chats/api/list-messages'
import { useRateReply, type Rating } from '@/features/chats/api/rate-reply'
import type { PendingMessage } from '@/features/chats/api/types'
import { useRetryReply } from '@/features/chats/api/retry-reply'
import { stopReply, switchBranch, useStreamingSend } from '@/features/chats/api/stream-reply'
import { ChatSidebar } from '@/features/chats/components/chat-sidebar'
import { Composer } from '@/features/chats/components/composer'
import { EmptyChat } from '@/features/chats/components/empty-chat'
import { MessagesSkeleton } from '@/features/chats/components/messages-skeleton'
import { MessageList } from '@/features/chats/components/message-list'
import type { FilesEdit } from '@/features/chats/components/message-bubble'
import { ShortcutsDialog } from '@/features/chats/components/shortcuts-dialog'
import { useChatShortcuts } from '@/features/chats/hooks/use-chat-shortcuts'
import { useDraft } from '@/features/chats/hooks/use-draft'
import { AttachmentTray } from '@/features/attachments/components/attachment-tray'
import { MessageAttachments } from '@/features/attachments/components/message-attachments'
import { useAttachments } from '@/features/attachments/hooks/use-attachments'
import { usePlans } from '@/features/usage/api/get-plans'
import { useFollowReply } from '@/features/chats/hooks/use-follow-reply'
import { SearchPalette } from '@/features/search/components/search-palette'
import { SearchPanel, type SearchTarget } from '@/features/search/components/search-panel'
import { useHitBranch, useSearchHit } from '@/features/search/hooks/use-search-hit'
import { useUsage, type Usage } from '@/features/usage/api/get-usage'
import { UpgradeDialog } from '@/features/usage/components/upgrade-dialog'
import { UsageMeter } from '@/features/usage/components/usage-meter'
import { useAuth } from '@/lib/auth'
import { queryKeys } from '@/lib/query-client'
import { isPageLeaving } from '@/lib/page-lifecycle'
import { ApiError, ProblemType, errorMessage } from '@/lib/problem'
import { useOnline } from '@/lib/use-online'
import { useStableCallback } from '@/lib/use-stable-callback'

const MAX_MESSAGE_LENGTH = 8000

/** The main screen: sidebar of chats, the conversation, the composer and the usage meter. */
export function ChatScreen() {
  const params = useParams()
  const chatId = params.chatId ? Number(params.chatId) : undefined
  const searchHit = useSearchHit(chatId)
  const { focusId, hit } = searchHit
  const navigate = useNavigate()
  const { user, signOut } = useAuth()
  const onUpgradeRoute = useMatch('/upgrade') !== null

  const chats = useChats()
  const history = useChatHistory(chatId, focusId)
  const messages = history.query
  const usage = useUsage()
  const billing = useBilling()
  const checkout = useStartCheckout()
  const portal = useOpenPortal()
  const location = useLocation()
  const createChat = useCreateChat()
  const streaming = useStreamingSend()
  const queryClient = useQueryClient()
  const retry = useRetryReply()
  const rate = useRateReply()
  const [draft, setDraft] = useDraft(chatId)
  const files = useAttachments(chatId)
  const plans = usePlans()
  const plan = usage.data?.plan ?? user?.plan
  // Told before sending: the plan's model would not see an image attached.
  const imagesRefused = plans.data?.plans.find((p) => p.plan === plan)?.acceptsImages === false && files.files.some((f) => f.isImage && f.status !== 'failed')
  const [drawerOpen, setDrawerOpen] = useState(false)
  const [shortcutsOpen, setShortcutsOpen] = useState(false)
  const [paletteOpen, setPaletteOpen] = useState(false)
  const [search, setSearch] = useState('')
  const [upgradeOpen, setUpgradeOpen] = useState(onUpgradeRoute)
  const [quotaUsage, setQuotaUsage] = useState<Usage | undefined>()
  const [sendError, setSendError] = useState<string | null>(null)
  const online = useOnline()
  // Send was pressed while offline: the draft goes when the connection is back (nothing reached the server yet).
  const [waitingToSend, setWaitingToSend] = useState(false)
  useEffect(() => setWaitingToSend(false), [chatId])

  const chat = useMemo(() => flattenChats(chats.data).find((c) => c.id === chatId), [chats.data, chatId])
  const notFound = messages.error instanceof ApiError && messages.error.status === 404
  const current = streaming.streaming?.chatId === chatId ? streaming.streaming : null
  const waitingForReply = current !== null && current.replyId === undefined
  // The same array until the history changes: the list's scroll keeping (a layout read) runs only then.
  const allMessages = history.messages
  const chatList = useMemo(() => flattenChats(chats.data), [chats.data])
  useHitBranch(chatId, focusId, history.offBranch, setSendError)

  function openSearchHit(target: SearchTarget) {
    searchHit.open(target)
    setDrawerOpen(false)
  }

  const leaveHit = searchHit.leave
  const following = useFollowReply(chatId, allMessages, current?.replyId)

  const activeReplyId = current?.replyId ?? following ?? undefined
  const busy = current !== null || following !== null
  const composer = useRef<{ focus: () => void }>(null)
  const stop =
    activeReplyId !== undefined && chatId !== undefined
      ? () =>
          void stopReply(chatId, activeReplyId).catch((error: unknown) =>
            setSendError(`Could not stop the reply: ${errorMessage(error)}`),
          )
      : undefined

  useChatShortcuts({
    newChat: () => {
      navigate('/')
      setDrawerOpen(false)
      composer.current?.focus()
    },
    focusComposer: () => composer.current?.focus(),
    stop,
    showShortcuts: () => setShortcutsOpen(true),
    search: () => setPaletteOpen(true),
  })

  // Regenerate and edit take quota like a send: the same refusals, the same upgrade path.
  /** Starts a reply on a new branch (edit, regenerate, continue); false when it was refused or failed to start. */
  async function branch(start: () => Promise<unknown>) {
    setSendError(null)
    leaveHit()
    try {
      await start()
      return true
    } catch (error) {
      if (error instanceof ApiError && error.is(ProblemType.quotaExceeded)) openUpgrade(usage.data)
      else setSendError(errorMessage(error))
      return false
    }
  }

  useEffect(() => {
    if (!waitingToSend || !online) return
    setWaitingToSend(false)
    if (draft.trim() || files.ready.length) void onSend(draft.trim())
    // onSend and the draft are read as they are now; this runs when the connection comes back.
  }, [online, waitingToSend])

  const openUpgrade = useCallback((u?: Usage) => {
    setQuotaUsage(u)
    setUpgradeOpen(true)
  }, [])

  async function onSend(text: string) {
    setSendError(null)
    if (usage.data?.remaining === 0) {
      openUpgrade(usage.data) // Known to be at the limit: keep the text, don't send.
      return
    }
    if (!online) {
      setWaitingToSend(true) // The text stays in the box and is sent when the connection is back.
      return
    }
    setWaitingToSend(false)
    let target = chatId
    const sentFiles = files.ready
    setDraft('')
    leaveHit()
    try {
      if (target === undefined) {
        target = (await createChat.mutateAsync(undefined)).id
        files.carryTo(target) // the files go with the draft to the new chat
        navigate(`/c/${target}`)
      }
      await streaming.send(target, text, sentFiles)
      files.clear(target)
    } catch (error) {
      // A reload or leaving the page cut the request off: whether or not it arrived, it is not refused.
      if (isPageLeaving()) return
      if (error instanceof ApiError && error.is(ProblemType.botUnavailable)) return // stored, shown with Retry
      setDraft(text, target) // refused or never sent: the text goes back into the composer
      if (!navigator.onLine) {
        setWaitingToSend(true) // The connection went while sending: try again when it is back.
        return
      }
      if (error instanceof ApiError && error.is(ProblemType.quotaExceeded)) {
        const p = error.problem
        openUpgrade({
          plan: (p.plan as Usage['plan']) ?? 'Free',
          used: Number(p.used ?? 0),
          limit: Number(p.limit ?? 0),
          remaining: 0,
          windowSeconds: usage.data?.windowSeconds ?? 0,
          nextFreeAt: (p.nextFreeAt as string | null) ?? null,
          tokensUsed: usage.data?.tokensUsed ?? 0,
          tokenLimit: usage.data?.tokenLimit ?? null,
        })
      } else {
        if (error instanceof ApiError && error.is(ProblemType.attachmentGone)) void files.recheck() // mark which file
        setSendError(errorMessage(error))
      }
    }
  }

  const renderFiles = useStableCallback((m: PendingMessage, editing?: FilesEdit) =>
    editing ? (
      <MessageAttachments attachments={(m.attachments ?? []).filter((a) => editing.kept.includes(a.id))} onRemove={editing.onRemove} />
    ) : (
      <MessageAttachments attachments={m.attachments ?? []} />
    ),
  )
  // Stable, so a message re-renders only when it changes (MessageBubble is memoized), not when the screen does.
  const onLoadOlder = useStableCallback(history.loadOlder)
  const onLoadNewer = useStableCallback(history.loadNewer)
  const onToNewest = useStableCallback(() => leaveHit())
  const onSwitch = useStableCallback((messageId: number) => {
    if (chatId === undefined) return
    void switchBranch(chatId, messageId)
      .then(() => queryClient.invalidateQueries({ queryKey: queryKeys.messages(chatId) }))
      .catch((error: unknown) => setSendError(errorMessage(error)))
  })
  const onEdit = useStableCallback((m: PendingMessage, content: string, keepFiles: string[]) =>
    branch(() => streaming.edit(m.chatId, m.id, content, keepFiles)),
  )
  const onRegenerate = useStableCallback((m: PendingMessage) => void branch(() => streaming.regenerate(m.chatId, m.id)))
  const onContinue = useStableCallback((m: PendingMessage) => void branch(() => streaming.continueReply(m.chatId, m.id)))
  const onRate = useStableCallback((m: PendingMessage, rating: Rating | null) =>
    rate.mutate({ chatId: m.chatId, messageId: m.id, rating, was: m.feedback ?? null }),
  )
  const onRetry = useStableCallback((m: PendingMessage) =>
    retry.mutate(
      { chatId: m.chatId, messageId: m.id },
      {
        onError: (error) =>
          error instanceof ApiError && error.is(ProblemType.quotaExceeded) ? openUpgrade(usage.data) : setSendError(errorMessage(error)),
      },
    ),
  )

  return (
    <div className="flex h-full">
      {drawerOpen && <div aria-hidden className="fixed inset-0 z-30 bg-black/40 md:hidden" onClick={() => setDrawerOpen(false)} />}
      {/* One sidebar: a fixed drawer below md, a column from md up. */}
      <aside
        aria-label="Sidebar"
        className={`fixed inset-y-0 left-0 z-40 flex w-[min(18rem,85vw)] flex-col border-r border-zinc-200 bg-zinc-50 shadow-xl transition-transform md:static md:w-72 md:translate-x-0 md:shadow-none dark:border-zinc-800 dark:bg-zinc-900 ${
          drawerOpen ? 'translate-x-0' : '-translate-x-full max-md:invisible'
        }`}
      >
        <div className="flex items-center gap-2 px-4 pt-4">
          <img src="/favicon.svg" alt="" className="size-7" />
          <span className="flex-1 text-lg font-semibold">Parley</span>
          <IconButton label="Close menu" onClick={() => setDrawerOpen(false)} tooltipPlacement="bottom-end" className="md:hidden">
            {icons.close}
          </IconButton>
        </div>
        <ChatSidebar
          onNavigate={() => setDrawerOpen(false)}
          searching={search.trim().length > 0}
          search={<SearchPanel value={search} onChange={setSearch} chats={chatList} onOpen={openSearchHit} />}
        />
        {user && (
          <div className="border-t border-zinc-200 dark:border-zinc-800">
            <AccountMenu
              email={user.email}
              plan={usage.data?.plan ?? user.plan}
              onUpgrade={() => openUpgrade(usage.data)}
              onAccount={() => navigate('/account')}
              onAdmin={() => navigate('/admin')}
              onSignOut={() => void signOut()}
            />
          </div>
        )}
      </aside>

      <main className="flex min-w-0 flex-1 flex-col">
        <ConnectionBanner />
        {billing.data && <TestModeBanner billing={billing.data} />}
        {billing.data && <PastDueBanner billing={billing.data} busy={portal.isPending} onUpdateCard={() => portal.mutate()} />}
        <header className="flex h-14 shrink-0 items-center gap-2 border-b border-zinc-200 px-3 dark:border-zinc-800">
          <button
            type="button"
            aria-label="Open menu"
            onClick={() => setDrawerOpen(true)}
            className="grid size-9 place-items-center rounded-lg hover:bg-zinc-100 md:hidden dark:hover:bg-zinc-800"
          >
            <svg viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden>
              <path d="M3 5h14M3 10h14M3 15h14" />
            </svg>
          </button>
          <h1 data-testid="chat-title" className="min-w-0 flex-1 truncate font-medium">
            {chatId === undefined ? 'New chat' : (chat?.title ?? (notFound ? 'Chat not found' : ''))}
          </h1>
          {chatId !== undefined && chat && <ModelPicker chatId={chatId} modelId={chat.modelId} />}
          <IconButton label="Search" onClick={() => setPaletteOpen(true)} tooltipPlacement="bottom-end">
            <circle cx="9" cy="9" r="5.5" />
            <path d="m13.5 13.5 3.5 3.5" />
          </IconButton>
          <IconButton label="Keyboard shortcuts" onClick={() => setShortcutsOpen(true)} tooltipPlacement="bottom-end" className="pointer-coarse:hidden">
            <rect x="2.5" y="5" width="15" height="10" rx="2" />
            <path d="M6 8h.01M9 8h.01M12 8h.01M15 8h.01M6 11.5h8" />
          </IconButton>
          <IconButton label="New chat" onClick={() => navigate('/')} tooltipPlacement="bottom-end" className="md:hidden">
            {icons.plus}
          </IconButton>
        </header>

        {notFound ? (
          <div className="grid flex-1 place-items-center p-6 text-center">
            <div>
              <p className="font-medium">This chat does not exist or was deleted.</p>
              <Link to="/" className="mt-2 inline-block text-sm text-accent-600 hover:underline dark:text-accent-300">
                Start a new chat
              </Link>
            </div>
          </div>
        ) : chatId === undefined ? (
          <EmptyChat onPick={(prompt) => void onSend(prompt)} disabled={createChat.isPending} />
        ) : messages.isPending ? (
          <MessagesSkeleton />
        ) : messages.isError ? (
          <div role="alert" className="grid flex-1 place-items-center p-6 text-sm text-red-700 dark:text-red-400">
            <p>
              {errorMessage(messages.error)}{' '}
              <button type="button" className="underline" onClick={() => void messages.refetch()}>
                Try again
              </button>
            </p>
          </div>
        ) : (
          <MessageList
            renderFiles={renderFiles}
            messages={allMessages}
            hasOlder={history.hasOlder}
            loadingOlder={history.loadingOlder}
            onLoadOlder={onLoadOlder}
            hasNewer={history.hasNewer}
            loadingNewer={history.loadingNewer}
            onLoadNewer={onLoadNewer}
            onToNewest={onToNewest}
            hit={hit}
            waitingForReply={waitingForReply}
            retryingId={retry.isPending ? retry.variables?.messageId : undefined}
            busy={busy}
            onSwitch={onSwitch}
            onEdit={onEdit}
            onRegenerate={onRegenerate}
            onContinue={onContinue}
            onRate={onRate}
            onRetry={onRetry}
          />
        )}

        <div className="shrink-0 pb-[max(0.5rem,env(safe-area-inset-bottom))]">
          {waitingToSend && (
            <p role="status" data-testid="waiting-to-send" className="mx-auto mb-2 flex max-w-3xl items-center gap-2 px-6 text-sm text-amber-800 dark:text-amber-200">
              <span>You're offline. Your message is kept and will be sent when you're back online.</span>
              <button type="button" className="font-medium underline" onClick={() => setWaitingToSend(false)}>
                Don't send
              </button>
            </p>
          )}
          {sendError && (
            <p role="alert" className="mx-auto mb-2 max-w-3xl px-6 text-sm text-red-700 dark:text-red-400">
              {sendError}
            </p>
          )}
          <div className="mx-auto flex max-w-3xl justify-end px-6 pb-1.5">
            {usage.data && <UsageMeter usage={usage.data} onUpgrade={() => openUpgrade(usage.data)} />}
          </div>
          <Composer
            value={draft}
            onChange={setDraft}
            onSend={(text) => void onSend(text)}
            sending={current !== null || following !== null || createChat.isPending}
            onStop={stop}
            maxLength={MAX_MESSAGE_LENGTH}
            ref={composer}
            onFiles={files.add}
            files={
              <AttachmentTray
                files={files.files}
                onRemove={files.remove}
                notice={imagesRefused ? "The model for your plan can't see images: remove them to send." : undefined}
              />
            }
            filesReady={files.ready.length > 0}
            filesBusy={files.busy || imagesRefused}
          />
        </div>
      </main>

      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
      <SearchPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} chats={chatList} onOpen={openSearchHit} />
      <UpgradeDialog
        open={upgradeOpen}
        usage={quotaUsage ?? usage.data}
        // Back to this chat after paying; its unsent text waits in sessionStorage (useDraft).
        onUpgrade={() => checkout.mutate(onUpgradeRoute ? '/' : location.pathname)}
        upgrading={checkout.isPending}
        paymentsAvailable={billing.data?.paymentsAvailable ?? true}
        upgradeError={checkout.isError ? errorMessage(checkout.error) : undefined}
        onClose={() => {
          setUpgradeOpen(false)
          if (onUpgradeRoute) navigate('/', { replace: true })
        }}
      />
    </div>
  )
}
