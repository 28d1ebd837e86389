import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { ApiError, toProblem } from './problem'
import { sessionStore, type SessionResponse, type User } from './session'

type Status = 'restoring' | 'signed-in' | 'signed-out'

interface AuthContextValue {
  status: Status
  user: User | null
  signIn: (email: string, password: string) => Promise<void>
  register: (email: string, password: string) => Promise<void>
  signOut: () => Promise<void>
}

const AuthContext = createContext<AuthContextValue | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionResponse | null>(sessionStore.session)
  const [restored, setRestored] = useState(sessionStore.session !== null)

  useEffect(() => sessionStore.subscribe(setSession), [])

  // A reload starts with no token in memory: restore the session from the refresh cookie, silently.
  useEffect(() => {
    if (restored) return
    void sessionStore.refresh().finally(() => setRestored(true))
  }, [restored])

  // Renew the access token shortly before it expires so requests never wait for it.
  useEffect(() => {
    if (!session) return
    const due = new Date(session.expiresAt).getTime() - Date.now() - 60_000
    const timer = setTimeout(() => void sessionStore.refresh(), Math.max(due, 5_000))
    return () => clearTimeout(timer)
  }, [session])

  const signIn = useCallback(async (email: string, password: string) => {
    sessionStore.set(await startSession('/api/auth/login', { email, password }))
  }, [])

  const register = useCallback(async (email: string, password: string) => {
    sessionStore.set(await startSession('/api/auth/register', { email, password }))
  }, [])

  const signOut = useCallback(async () => {
    try {
      await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' })
    } finally {
      // The signed-in screens, and their cache with this user's chats, unmount (SignedIn).
      sessionStore.set(null)
    }
  }, [])

  const value = useMemo<AuthContextValue>(
    () => ({
      status: !restored ? 'restoring' : session ? 'signed-in' : 'signed-out',
      user: session?.user ?? null,
      signIn,
      register,
      signOut,
    }),
    [restored, session, signIn, register, signOut],
  )

  return <AuthContext value={value}>{children}</AuthContext>
}

/**
 * Signs in or registers with plain fetch, not the typed client: these are the only calls the sign-in pages make,
 * and openapi-fetch then loads with the signed-in screens instead (the login page's budget, ADR 0014).
 */
async function startSession(url: '/api/auth/login' | '/api/auth/register', body: { email: string; password: string }): Promise<SessionResponse> {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  const json: unknown = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, toProblem(response.status, json))
  return json as SessionResponse
}

/** The signed-in user, or null (also outside an AuthProvider: a component shown in isolation). */
export function useSignedInUser() {
  return use(AuthContext)?.user ?? null
}

export function useAuth() {
  const value = use(AuthContext)
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>')
  return value
}
