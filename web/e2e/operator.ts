import { execFileSync } from 'node:child_process'
import { DATABASE_URL } from '../playwright.config'

/** Runs Parley's operator command against the journeys' database, as an operator would. */
export function setPlan(email: string, plan: 'free' | 'premium') {
  execFileSync('dotnet', ['bin/Debug/net10.0/Parley.dll', 'set-plan', email, plan], {
    cwd: '../src/Parley',
    env: { ...process.env, DATABASE_URL, ASPNETCORE_ENVIRONMENT: 'Production', SECRET_KEY: 'x'.repeat(40) },
    stdio: 'pipe',
  })
}

/** Makes an account an admin (or not) with the operator command, as an operator would. */
export function setRole(email: string, role: 'admin' | 'user') {
  execFileSync('dotnet', ['bin/Debug/net10.0/Parley.dll', 'set-role', email, role], {
    cwd: '../src/Parley',
    env: { ...process.env, DATABASE_URL, ASPNETCORE_ENVIRONMENT: 'Production', SECRET_KEY: 'x'.repeat(40) },
    stdio: 'pipe',
  })
}
