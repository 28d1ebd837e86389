import { rm } from 'node:fs/promises'

/**
 * The run's SQLite file (and its WAL) and its attachments' folder go with the run: each run starts from new ones in
 * the temp folder.
 */
export default async function globalTeardown() {
  const file = process.env.PARLEY_E2E_DB
  if (file) await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(file + suffix, { force: true })))
  const files = process.env.PARLEY_E2E_FILES
  if (files) await rm(files, { recursive: true, force: true })
}
