import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, unwrap } from './api-client'
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
    sessionStore.set(await unwrap(api.POST('/api/auth/login', { body: { email, password } })))
  }, [])

  const register = useCallback(async (email: string, password: string) => {
    sessionStore.set(await unwrap(api.POST('/api/auth/register', { body: { email, password } })))
  }, [])

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/auth/logout')
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

export function useAuth() {
  const value = use(AuthContext)
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>')
  return value
}
