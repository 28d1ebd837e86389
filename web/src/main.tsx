import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import { Providers } from './app/providers'
import { AppRoutes } from './app/router'
import { applyPreferences } from './lib/preferences'
import { sessionStore } from './lib/session'
import './index.css'

// Every session carries the account's theme, time zone and clock; this device follows them.
sessionStore.subscribe((session) => session && applyPreferences(session.user))

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <Providers>
        <AppRoutes />
      </Providers>
    </BrowserRouter>
  </StrictMode>,
)
