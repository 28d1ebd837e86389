import { validateAuth } from './validate'

describe('validateAuth', () => {
  it('asks for what is missing, in plain words', () => {
    expect(validateAuth('register', '', '')).toEqual({ email: 'Enter your email address.', password: 'Choose a password.' })
    expect(validateAuth('login', ' ', '')).toEqual({ email: 'Enter your email address.', password: 'Enter your password.' })
  })

  it('checks the address and the length when registering', () => {
    expect(validateAuth('register', 'not-an-email', 'short')).toEqual({
      email: 'Enter a valid email address, like name@example.com.',
      password: 'Use at least 8 characters.',
    })
    expect(validateAuth('register', `${'a'.repeat(250)}@x.io`, 'x'.repeat(1025)).password).toBe('Use at most 1024 characters.')
  })

  it('refuses a password the strength check calls weak, with its hint', () => {
    const weak = { score: 0, weak: true, hint: 'This is one of the most common passwords.' }
    expect(validateAuth('register', 'a@b.co', 'password1', weak)).toEqual({ password: 'This is one of the most common passwords.' })
  })

  it('lets a good form through; signing in does not judge the password', () => {
    expect(validateAuth('register', 'a@b.co', 'nine mossy oaks', { score: 4, weak: false, hint: 'Strong password.' })).toEqual({})
    expect(validateAuth('login', 'a@b.co', 'short')).toEqual({})
  })
})
