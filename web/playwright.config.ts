import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig, devices } from '@playwright/test'

/**
 * Browser journeys against the real app (built UI + API on one origin) over a fresh SQLite file, with a small
 * message limit so the limit is reachable. Chromium is Debian's (/usr/bin/chromium): Playwright's own download is
 * not available on our machines.
 */
const port = Number(process.env.E2E_PORT ?? 5199)
const baseURL = `http://127.0.0.1:${port}`
export const MESSAGE_LIMIT = 5
// Fixed per run (the config is evaluated again in each worker; the main process sets it first).
process.env.PARLEY_E2E_DB ??= join(tmpdir(), `parley-e2e-${process.pid}-${Date.now()}.db`)
export const DATABASE_URL = `sqlite:///${process.env.PARLEY_E2E_DB}`
// Attachments' files beside it, gone with it (global-teardown), never in the source tree.
process.env.PARLEY_E2E_FILES ??= `${process.env.PARLEY_E2E_DB}-files`
// Mail (password resets, email changes) is written there as .eml files; the journeys open the links they carry.
process.env.PARLEY_E2E_MAIL ??= `${process.env.PARLEY_E2E_DB}-mail`

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
}

export default defineConfig({
  testDir: './e2e',
  globalTeardown: './e2e/global-teardown.ts',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium } },
    {
      name: 'phone',
      use: { ...devices['Pixel 5'], viewport: { width: 360, height: 740 }, launchOptions: chromium },
    },
  ],
  webServer: {
    command: 'dotnet bin/Debug/net10.0/Parley.dll',
    cwd: '../src/Parley',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      ASPNETCORE_ENVIRONMENT: 'Production',
      ASPNETCORE_URLS: baseURL,
      // Production runs payments only when asked: the journeys use the built-in test mode.
      Billing__TestMode: 'true',
      PUBLIC_BASE_URL: baseURL,
      DATABASE_URL,
      Storage__Path: process.env.PARLEY_E2E_FILES,
      Mail__PickupDirectory: process.env.PARLEY_E2E_MAIL,
      SECRET_KEY: 'e2e-secret-key-long-enough-for-hs256-0123456789abcdef',
      MESSAGE_LIMIT: String(MESSAGE_LIMIT),
      MODEL_PRICES: 'built-in=0.5/1.5',
      TIME_FRAME: '24h',
      Auth__BcryptWorkFactor: '4',
      Auth__AttemptsPerMinutePerIp: '1000',
      // Slow enough to see a reply grow and to stop it on a busy machine (the long answer takes about 2.5 s).
      Bot__BuiltInWordDelay: '00:00:00.040',
    },
  },
})
