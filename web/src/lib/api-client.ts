import createClient, { type Middleware } from 'openapi-fetch'
import type { paths } from './api/schema'
import { ApiError, toProblem } from './problem'
import { sessionStore } from './session'

const retries = new WeakMap<Request, Request>()

/** Attaches the access token, refreshing it first when it is about to expire; retries once after a 401. */
const auth: Middleware = {
  async onRequest({ request }) {
    if (request.url.includes('/api/auth/')) return request
    if (sessionStore.session && sessionStore.isStale()) await sessionStore.refresh()
    const token = sessionStore.accessToken
    if (token) request.headers.set('Authorization', `Bearer ${token}`)
    retries.set(request, request.clone())
    return request
  },
  async onResponse({ request, response }) {
    const retry = retries.get(request)
    if (response.status !== 401 || !retry || !sessionStore.session) return response
    const session = await sessionStore.refresh()
    if (!session) return response
    retry.headers.set('Authorization', `Bearer ${session.accessToken}`)
    return fetch(retry)
  },
}

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })
api.use(auth)

/** The data of a successful call, or an {@link ApiError} carrying the server's problem details. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call
  if (!response.ok) throw new ApiError(response.status, toProblem(response.status, error))
  return data as T
}
