import { QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { Outlet } from 'react-router'
import { Toaster } from '@/components/ui/toaster'
import { createQueryClient } from '@/lib/query-client'

/**
 * The screens behind sign-in, with their data cache. Loaded after the sign-in pages (TanStack Query is not on the
 * login page), and made afresh for each session: signing out unmounts it, so the next user never sees a cached
 * byte of the last one's chats.
 */
export function SignedIn() {
  const [queryClient] = useState(createQueryClient)
  return (
    <QueryClientProvider client={queryClient}>
      <Outlet />
      <Toaster />
    </QueryClientProvider>
  )
}
