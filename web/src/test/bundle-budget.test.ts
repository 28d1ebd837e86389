// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/**
 * JavaScript budgets, checked on the build output (./test.sh builds before it tests): what a cold load of each route
 * downloads, compressed as Parley serves it: Brotli (the build and the published build both make .br copies, and
 * every current browser asks for br; gzip is printed too). Budgets from issue 10: login ≤ 80 kB, a chat ≤ 200 kB.
 * The browser journeys measure the same from what Chromium actually transferred.
 */
interface Chunk {
  file: string
  isEntry: boolean
  module: string | null
  modules: string[]
  imports: string[]
  dynamicImports: string[]
}

const root = join(__dirname, '../..')
const graphFile = join(root, '.bundle/chunks.json')
if (!existsSync(graphFile)) throw new Error('No build to measure: run `npm run build` (or ./test.sh, which builds first).')
const graph = JSON.parse(readFileSync(graphFile, 'utf8')) as { outDir: string; chunks: Chunk[] }
const byFile = new Map(graph.chunks.map((c) => [c.file, c]))
const entry = graph.chunks.find((c) => c.isEntry)!

function chunkOf(module: string): Chunk {
  const chunk = graph.chunks.find((c) => c.module === module)
  if (!chunk) throw new Error(`No chunk for ${module}: is it still loaded on its own?`)
  return chunk
}

/** The chunks loaded with these: their static imports, transitively (dynamic imports load later, on demand). */
function closure(...chunks: Chunk[]): Set<string> {
  const files = new Set<string>()
  const visit = (c: Chunk) => {
    if (files.has(c.file)) return
    files.add(c.file)
    for (const f of c.imports) visit(byFile.get(f)!)
  }
  chunks.forEach(visit)
  return files
}

function size(files: Set<string>) {
  let gzip = 0
  let brotli = 0
  for (const file of files) {
    const code = readFileSync(join(graph.outDir, file))
    gzip += gzipSync(code, { level: 9 }).length
    brotli += brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
  }
  return { gzip, brotli }
}

const kB = 1000
const routes = {
  login: closure(entry),
  chat: closure(entry, chunkOf('src/app/signed-in.tsx'), chunkOf('src/app/routes/chat-screen.tsx')),
}

describe('JavaScript budgets (compressed, per cold load)', () => {
  it('the login page loads at most 80 kB', () => {
    const { gzip, brotli } = size(routes.login)
    console.info(`login: ${(gzip / kB).toFixed(1)} kB gzip, ${(brotli / kB).toFixed(1)} kB brotli, ${routes.login.size} files`)
    expect(brotli).toBeLessThanOrEqual(80 * kB)
  })

  it('a chat loads at most 200 kB', () => {
    const { gzip, brotli } = size(routes.chat)
    console.info(`chat: ${(gzip / kB).toFixed(1)} kB gzip, ${(brotli / kB).toFixed(1)} kB brotli, ${routes.chat.size} files`)
    expect(brotli).toBeLessThanOrEqual(200 * kB)
  })

  it('the login page carries no Markdown, highlighting, password dictionary or data-fetching library', () => {
    const modules = [...routes.login].flatMap((f) => byFile.get(f)!.modules)
    for (const heavy of ['src/app/routes/chat-screen.tsx', 'node_modules/micromark', 'node_modules/highlight.js', 'node_modules/@zxcvbn-ts', 'node_modules/@tanstack'])
      expect(modules.filter((m) => m.startsWith(heavy))).toEqual([])
  })

  it('the chat carries neither the admin area nor its charts', () => {
    const modules = [...routes.chat].flatMap((f) => byFile.get(f)!.modules)
    expect(modules.filter((m) => m.startsWith('src/app/routes/admin') || m.startsWith('src/features/admin') || m.startsWith('node_modules/uplot'))).toEqual([])
    expect(chunkOf('src/app/routes/admin.tsx').modules.some((m) => m.startsWith('node_modules/uplot'))).toBe(true)
  })

  it('highlighting grammars beyond the common set load on demand, one file each', () => {
    const grammarsIn = (files: Iterable<string>) =>
      [...files].flatMap((f) => byFile.get(f)!.modules).filter((m) => m.includes('highlight.js/es/languages/'))
    const onDemand = grammarsIn(chunkOf('src/app/routes/chat-screen.tsx').dynamicImports)
    expect(onDemand.length).toBeGreaterThan(150)
    expect(onDemand).toContain('node_modules/highlight.js/es/languages/rust.js')
    const common = ['bash', 'css', 'javascript', 'json', 'python', 'typescript', 'xml']
    expect(grammarsIn(routes.chat).sort()).toEqual(common.map((l) => `node_modules/highlight.js/es/languages/${l}.js`))
  })
})
