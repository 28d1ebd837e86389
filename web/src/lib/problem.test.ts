import { ApiError, errorMessage, fieldErrors, ProblemType, toProblem } from './problem'

describe('error mapping', () => {
  it('uses the problem detail when there is one', () => {
    const error = new ApiError(402, { type: ProblemType.quotaExceeded, detail: 'You have used all 20 messages.' })
    expect(errorMessage(error)).toBe('You have used all 20 messages.')
    expect(error.is(ProblemType.quotaExceeded)).toBe(true)
  })

  it('falls back to the first field error, then the title', () => {
    expect(errorMessage(new ApiError(400, { errors: { Password: ['Too short.'] } }))).toBe('Too short.')
    expect(errorMessage(new ApiError(409, { title: 'Email already registered' }))).toBe('Email already registered')
  })

  it('has a sensible message for bare status codes', () => {
    expect(errorMessage(new ApiError(502, toProblem(502, '<html>Bad gateway</html>')))).toMatch(/on our side/)
    expect(errorMessage(new ApiError(401, {}))).toMatch(/sign in again/)
  })

  it('explains network failures', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/Can't reach Parley/)
  })

  it('maps validation errors to lower-camel field names', () => {
    const error = new ApiError(400, { errors: { Email: ['Not an email.'], Password: ['Too short.', 'Other.'] } })
    expect(fieldErrors(error)).toEqual({ email: 'Not an email.', password: 'Too short.' })
    expect(fieldErrors(new Error('x'))).toEqual({})
  })
})
