// Fails when the committed generated file differs from a fresh generation (used by `npm run check:api`).
import { readFileSync, rmSync } from 'node:fs'

const [committed, fresh] = process.argv.slice(2)
const same = readFileSync(committed, 'utf8') === readFileSync(fresh, 'utf8')
rmSync(fresh)
if (!same) {
  console.error(`${committed} is stale: run scripts/update-api.sh and commit the result.`)
  process.exit(1)
}
console.log(`${committed} is up to date.`)
