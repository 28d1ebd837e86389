import { calendarDay, daysBetween, formatMonth } from '@/lib/format'
import type { Chat } from '../api/types'

export interface ChatGroup {
  key: string
  label: string
  chats: Chat[]
}


/**
 * The sidebar's sections by last activity, as the chats come (newest first): Today, Yesterday, Previous 7 days,
 * Previous 30 days, then one per month ("October", or "October 2025" for another year). Empty sections are left out.
 */
export function groupByActivity(chats: Chat[], now = new Date()): ChatGroup[] {
  const groups: ChatGroup[] = []
  for (const chat of chats) {
    const at = new Date(chat.updatedAt)
    const daysAgo = daysBetween(at, now)
    const [key, label] =
      daysAgo <= 0 ? ['today', 'Today']
      : daysAgo === 1 ? ['yesterday', 'Yesterday']
      : daysAgo <= 7 ? ['week', 'Previous 7 days']
      : daysAgo <= 30 ? ['month', 'Previous 30 days']
      : [`${calendarDay(at).year}-${calendarDay(at).month}`, formatMonth(at, now)]
    const last = groups.at(-1)
    if (last?.key === key) last.chats.push(chat)
    else groups.push({ key, label, chats: [chat] })
  }
  return groups
}
