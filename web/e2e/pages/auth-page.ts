import { expect, type Page } from '@playwright/test'

export class AuthPage {
  constructor(private readonly page: Page) {}

  async register(email: string, password: string) {
    await this.page.goto('/register')
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByRole('button', { name: 'Create account' }).click()
    await expect(this.page.getByRole('heading', { name: 'How can I help?' })).toBeVisible()
  }

  async signIn(email: string, password: string) {
    await this.page.goto('/login')
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByRole('button', { name: 'Sign in' }).click()
  }
}
