import type { components } from '@/lib/api/schema'

export type Chat = components['schemas']['ChatResponse']
export type ChatPage = components['schemas']['ChatPage']
export type Message = components['schemas']['MessageResponse']
export type MessagePage = components['schemas']['MessagePage']
export type SendMessageResponse = components['schemas']['SendMessageResponse']

/** The data of each event of a reply stream, by event name (see `x-events` in openapi.json). */
export type StreamEvents = components['schemas']['ReplyStreamEvents']

/** A message shown before the server confirmed it (optimistic send). */
export type PendingMessage = Message & { pending?: true }
