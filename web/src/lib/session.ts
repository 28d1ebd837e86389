import type { components } from './api/schema'

export type SessionResponse = components['schemas']['SessionResponse']
export type User = components['schemas']['UserResponse']

type Listener = (session: SessionResponse | null) => void

/**
 * The access token lives here, in memory only; the refresh token is an httpOnly cookie the page cannot read.
 * A reload therefore starts signed out and restores the session with one silent refresh.
 */
class SessionStore {
  private current: SessionResponse | null = null
  private refreshing: Promise<SessionResponse | null> | null = null
  private readonly listeners = new Set<Listener>()

  get session() {
    return this.current
  }

  get accessToken() {
    return this.current?.accessToken ?? null
  }

  set(session: SessionResponse | null) {
    this.current = session
    for (const listener of this.listeners) listener(session)
  }

  /** Changes the signed-in user as the server now has it (a new name, picture, email or preference). */
  updateUser(change: Partial<User>) {
    if (this.current) this.set({ ...this.current, user: { ...this.current.user, ...change } })
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** True when the token is missing or expires within the next 30 seconds. */
  isStale(now = Date.now()) {
    return !this.current || new Date(this.current.expiresAt).getTime() - now < 30_000
  }

  /**
   * Trades the refresh cookie for a new session. Concurrent callers share one request, and tabs take turns
   * through a Web Lock: the server revokes a whole session when one refresh token is used twice.
   */
  refresh(): Promise<SessionResponse | null> {
    const early = takeEarlySession()
    this.refreshing ??= (early ?? withLock(async () => {
      const response = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' })
      // 200: a new session; 204: nobody is signed in on this browser; 401: the session ended.
      const session = response.status === 200 ? ((await response.json()) as SessionResponse) : null
      return session
    }))
      .then((session) => {
        this.set(session)
        return session
      })
      .finally(() => {
        this.refreshing = null
      })
    return this.refreshing
  }
}

declare global {
  interface Window {
    /** The session exchange public/session-boot.js started before the app loaded. */
    __parleySession?: Promise<SessionResponse | null>
    /** Set once the app has asked for a session: session-boot.js, if it runs after that, starts none. */
    __parleySessionTaken?: boolean
  }
}

let earlyChecked = false

/** The exchange session-boot.js started as the page loaded, for the app's first refresh only (never a later one). */
function takeEarlySession(): Promise<SessionResponse | null> | undefined {
  if (earlyChecked || typeof window === 'undefined') return undefined
  earlyChecked = true
  window.__parleySessionTaken = true
  const early = window.__parleySession
  delete window.__parleySession
  return early
}

function withLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  return locks ? (locks.request('parley-refresh', work) as Promise<T>) : work()
}

export const sessionStore = new SessionStore()
