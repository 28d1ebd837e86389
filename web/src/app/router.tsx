import { createBrowserRouter, Navigate } from 'react-router'
import { AccountRoute } from './routes/account'
import { BillingSuccessRoute } from './routes/billing-success'
import { ChatScreen } from './routes/chat-screen'
import { LoginRoute } from './routes/login'
import { RegisterRoute } from './routes/register'
import { RequireAuth } from './routes/require-auth'
import { TestCheckoutRoute } from './routes/test-checkout'
import { TestPortalRoute } from './routes/test-portal'

export const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  { path: '/register', element: <RegisterRoute /> },
  {
    element: <RequireAuth />,
    children: [
      { path: '/', element: <ChatScreen /> },
      { path: '/c/:chatId', element: <ChatScreen /> },
      { path: '/upgrade', element: <ChatScreen /> },
      { path: '/account', element: <AccountRoute /> },
      { path: '/billing/success', element: <BillingSuccessRoute /> },
      { path: '/billing/test-checkout/:sessionId', element: <TestCheckoutRoute /> },
      { path: '/billing/test-portal/:customerId', element: <TestPortalRoute /> },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
])
