import { rm } from 'node:fs/promises'

/** The run's SQLite file (and its WAL) goes with the run: each run starts from a new one in the temp folder. */
export default async function globalTeardown() {
  const file = process.env.PARLEY_E2E_DB
  if (!file) return
  await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(file + suffix, { force: true })))
}
