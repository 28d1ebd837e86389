import { rm } from 'node:fs/promises'

/**
 * The run's SQLite file (and its WAL) its attachments' folder and its mail go with the run: each run starts from new ones in
 * the temp folder.
 */
export default async function globalTeardown() {
  const file = process.env.PARLEY_E2E_DB
  if (file) await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(file + suffix, { force: true })))
  for (const folder of [process.env.PARLEY_E2E_FILES, process.env.PARLEY_E2E_MAIL]) {
    if (folder) await rm(folder, { recursive: true, force: true })
  }
}
