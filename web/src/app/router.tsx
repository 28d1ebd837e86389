import { createBrowserRouter, Navigate } from 'react-router'
import { ChatScreen } from './routes/chat-screen'
import { LoginRoute } from './routes/login'
import { RegisterRoute } from './routes/register'
import { RequireAuth } from './routes/require-auth'

export const router = createBrowserRouter([
  { path: '/login', element: <LoginRoute /> },
  { path: '/register', element: <RegisterRoute /> },
  {
    element: <RequireAuth />,
    children: [
      { path: '/', element: <ChatScreen /> },
      { path: '/c/:chatId', element: <ChatScreen /> },
      { path: '/upgrade', element: <ChatScreen /> },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
])
