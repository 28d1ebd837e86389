import { useMutation, useQueryClient } from '@tanstack/react-query'
import { toast } from '@/components/ui/toaster'
import { api, unwrap } from '@/lib/api-client'
import { errorMessage } from '@/lib/problem'
import { updateMessage } from './stream-reply'
import type { Message } from './types'

export type Rating = NonNullable<Message['feedback']>

/** Thumbs up or down on a reply (the same again takes it back); shown at once, put back if the server refuses. */
export function useRateReply() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ chatId, messageId, rating }: { chatId: number; messageId: number; rating: Rating | null; was: Rating | null }) =>
      unwrap(api.PUT('/api/chats/{chatId}/messages/{messageId}/feedback', { params: { path: { chatId, messageId } }, body: { rating } })),
    onMutate: ({ chatId, messageId, rating }) => updateMessage(queryClient, chatId, messageId, (m) => ({ ...m, feedback: rating })),
    onError: (error, { chatId, messageId, was }) => {
      updateMessage(queryClient, chatId, messageId, (m) => ({ ...m, feedback: was }))
      toast(`Your rating was not saved. ${errorMessage(error)}`, { tone: 'error' })
    },
  })
}
