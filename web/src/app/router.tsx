import { lazy, Suspense } from 'react'
import { Navigate, Route, Routes } from 'react-router'
import { LoadingScreen } from '@/components/ui/loading-screen'
import { LoginRoute } from './routes/login'
import { RegisterRoute } from './routes/register'
import { RequireAuth } from './routes/require-auth'

// Signing in is in the first chunk; every screen behind it is loaded by route, so the login page does not carry the
// chat screen, Markdown or highlighting (budgets: scripts/check-bundle.mjs). Declarative routes, not the data router:
// Parley loads its data with TanStack Query, and the data router would be 17 kB more on the login page.
const loadChatScreen = () => import('./routes/chat-screen')
const ChatScreen = lazy(() => loadChatScreen().then((m) => ({ default: m.ChatScreen })))
const AccountRoute = lazy(() => import('./routes/account').then((m) => ({ default: m.AccountRoute })))
const BillingSuccessRoute = lazy(() => import('./routes/billing-success').then((m) => ({ default: m.BillingSuccessRoute })))
const TestCheckoutRoute = lazy(() => import('./routes/test-checkout').then((m) => ({ default: m.TestCheckoutRoute })))
const ForgotPasswordRoute = lazy(() => import('./routes/forgot-password').then((m) => ({ default: m.ForgotPasswordRoute })))
const ResetPasswordRoute = lazy(() => import('./routes/reset-password').then((m) => ({ default: m.ResetPasswordRoute })))
const ConfirmEmailRoute = lazy(() => import('./routes/confirm-email').then((m) => ({ default: m.ConfirmEmailRoute })))
// The admin area (and its charts) is a chunk of its own: nobody else downloads it.
const AdminRoute = lazy(() => import('./routes/admin').then((m) => ({ default: m.AdminRoute })))
const TestPortalRoute = lazy(() => import('./routes/test-portal').then((m) => ({ default: m.TestPortalRoute })))

// Opening Parley signed in is the common case: fetch the signed-in screens while the session is being restored,
// not after (the page would otherwise wait for the refresh, then for each chunk in turn).
if (typeof window !== 'undefined' && !/^\/(login|register|forgot-password|reset-password|confirm-email)$/.test(window.location.pathname)) {
  import('./signed-in').catch(() => {}) // offline: the route loads it again when shown
  if (/^\/(c\/\d+|upgrade)?$/.test(window.location.pathname)) loadChatScreen().catch(() => {})
}

export function AppRoutes() {
  return (
    <Suspense fallback={<LoadingScreen />}>
      <Routes>
        <Route path="/login" element={<LoginRoute />} />
        <Route path="/register" element={<RegisterRoute />} />
        <Route path="/forgot-password" element={<ForgotPasswordRoute />} />
        <Route path="/reset-password" element={<ResetPasswordRoute />} />
        <Route path="/confirm-email" element={<ConfirmEmailRoute />} />
        <Route element={<RequireAuth />}>
          {/* One element for the three: moving between chats keeps the screen (and its state) mounted. */}
          <Route path="/" element={<ChatScreen />} />
          <Route path="/c/:chatId" element={<ChatScreen />} />
          <Route path="/upgrade" element={<ChatScreen />} />
          <Route path="/account" element={<AccountRoute />} />
          <Route path="/admin/*" element={<AdminRoute />} />
          <Route path="/billing/success" element={<BillingSuccessRoute />} />
          <Route path="/billing/test-checkout/:sessionId" element={<TestCheckoutRoute />} />
          <Route path="/billing/test-portal/:customerId" element={<TestPortalRoute />} />
        </Route>
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  )
}
