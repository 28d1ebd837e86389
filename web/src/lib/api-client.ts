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

/**
 * fetch() with the access token, for calls openapi-fetch does not cover (streamed responses). Refreshes a token about
 * to expire first, and retries once after a 401. A non-2xx answer becomes an {@link ApiError}.
 */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  if (sessionStore.session && sessionStore.isStale()) await sessionStore.refresh()
  const send = () =>
    fetch(url, {
      ...init,
      credentials: 'same-origin',
      headers: { ...init.headers, ...(sessionStore.accessToken ? { Authorization: `Bearer ${sessionStore.accessToken}` } : {}) },
    })
  let response = await send()
  if (response.status === 401 && sessionStore.session && (await sessionStore.refresh())) response = await send()
  if (!response.ok) {
    const body = response.headers.get('content-type')?.includes('json') ? await response.json().catch(() => null) : null
    throw new ApiError(response.status, toProblem(response.status, body))
  }
  return response
}
