/** RFC 9457 problem details, as every Parley error is answered. */
export interface Problem {
  type?: string
  title?: string
  status?: number
  detail?: string
  errors?: Record<string, string[]>
  [extension: string]: unknown
}

const base = 'https://parley.chat/problems/'

/** Problem `type` URIs the UI branches on (mirrors the server's ProblemTypes). */
export const ProblemType = {
  quotaExceeded: `${base}quota-exceeded`,
  botUnavailable: `${base}bot-unavailable`,
  invalidCredentials: `${base}invalid-credentials`,
  loginThrottled: `${base}login-throttled`,
  rateLimited: `${base}rate-limited`,
  emailTaken: `${base}email-taken`,
  sessionExpired: `${base}session-expired`,
  notFound: `${base}not-found`,
  payloadTooLarge: `${base}payload-too-large`,
  attachmentGone: `${base}attachment-gone`,
} as const

export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem

  constructor(status: number, problem: Problem) {
    super(describeProblem(status, problem))
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
  }

  is(type: (typeof ProblemType)[keyof typeof ProblemType]): boolean {
    return this.problem.type === type
  }
}

/**
 * Turns a body of unknown shape into a problem. Only JSON objects are trusted: a proxy's HTML or text error page
 * is not shown to the user, who gets the message for the status instead.
 */
export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Problem
  return { status }
}

function describeProblem(status: number, problem: Problem): string {
  const firstFieldError = problem.errors ? Object.values(problem.errors).flat()[0] : undefined
  if (problem.detail) return problem.detail
  if (firstFieldError) return firstFieldError
  if (problem.title) return problem.title
  if (status >= 500) return 'Something went wrong on our side. Please try again.'
  if (status === 401) return 'Your session has ended. Please sign in again.'
  if (status === 404) return 'That could not be found. It may have been deleted.'
  return 'The request could not be completed.'
}

/** A message a person can act on, for any error thrown by an API call or the network. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof TypeError) return "Can't reach Parley. Check your connection and try again."
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong. Please try again.'
}

/** Field errors keyed by lower-camel field name, for showing next to form inputs. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {}
  return Object.fromEntries(
    Object.entries(error.problem.errors)
      .filter(([, messages]) => messages.length > 0)
      .map(([field, messages]) => [field.charAt(0).toLowerCase() + field.slice(1), messages[0] ?? '']),
  )
}

/**
 * The server is away for now, not refusing: the network failed, the database is unreachable (503), an instance is
 * restarting, or a proxy found no instance (502/504). Worth trying again by itself.
 */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof TypeError) return true // fetch could not reach the server
  return error instanceof ApiError && (error.status === 502 || error.status === 503 || error.status === 504)
}
