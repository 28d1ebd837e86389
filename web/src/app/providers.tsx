import type { ReactNode } from 'react'
import { AuthProvider } from '@/lib/auth'

/** What every screen needs, the sign-in pages included. Data fetching comes with the signed-in screens (SignedIn). */
export function Providers({ children }: { children: ReactNode }) {
  return <AuthProvider>{children}</AuthProvider>
}
