import type { PasswordStrength } from '../hooks/use-password-strength'

export type AuthFields = { email?: string; password?: string }

// The server's rules (RegisterRequest, LoginRequest, PasswordStrength), checked here first so the answer is instant.
const EMAIL_MAX = 254
const PASSWORD_MIN = 8
const PASSWORD_MAX = 1024
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** What is wrong with each field, in the server's words; an empty object when the form may be sent. */
export function validateAuth(mode: 'login' | 'register', email: string, password: string, strength?: PasswordStrength): AuthFields {
  const errors: AuthFields = {}
  const address = email.trim()
  if (!address) errors.email = 'Enter your email address.'
  else if (address.length > EMAIL_MAX) errors.email = `Email addresses are at most ${EMAIL_MAX} characters.`
  else if (mode === 'register' && !EMAIL.test(address)) errors.email = 'Enter a valid email address, like name@example.com.'

  if (!password) errors.password = mode === 'register' ? 'Choose a password.' : 'Enter your password.'
  else if (password.length > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters.`
  else if (mode === 'register' && password.length < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters.`
  else if (mode === 'register' && strength?.weak) errors.password = strength.hint
  return errors
}
