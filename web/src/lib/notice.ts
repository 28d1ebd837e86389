let pending: string | null = null

/**
 * A note for the next signed-out page (the sign-in page), for when this one's session ends: the route guard, not the
 * caller, decides where the page goes then, so router state would not carry it.
 */
export function leaveNotice(text: string) {
  pending = text
}

/** The note left for this page, once. */
export function takeNotice(): string | null {
  const text = pending
  pending = null
  return text
}
