import type { Chat } from '../api/types'
import { groupByActivity } from './group-chats'

const now = new Date(2026, 11, 1, 15, 0) // 1 Dec 2026, 3 PM local
const chat = (id: number, updated: Date): Chat => ({ id, title: `chat ${id}`, createdAt: updated.toISOString(), updatedAt: updated.toISOString() })

describe('groupByActivity', () => {
  it('sorts chats into Today, Yesterday, the last 7 and 30 days, then months', () => {
    const groups = groupByActivity(
      [
        chat(1, new Date(2026, 11, 1, 9)),
        chat(2, new Date(2026, 10, 30, 23)),
        chat(3, new Date(2026, 10, 26)),
        chat(4, new Date(2026, 10, 10)),
        chat(5, new Date(2026, 8, 3)),
        chat(6, new Date(2025, 8, 3)),
      ],
      now,
    )
    expect(groups.map((g) => [g.label, g.chats.map((c) => c.id)])).toEqual([
      ['Today', [1]],
      ['Yesterday', [2]],
      ['Previous 7 days', [3]],
      ['Previous 30 days', [4]],
      [new Date(2026, 8, 3).toLocaleDateString(undefined, { month: 'long' }), [5]],
      [new Date(2025, 8, 3).toLocaleDateString(undefined, { month: 'long', year: 'numeric' }), [6]],
    ])
  })

  it('leaves out empty sections', () => {
    expect(groupByActivity([chat(1, new Date(2026, 10, 20))], now).map((g) => g.label)).toEqual(['Previous 30 days'])
  })
})
