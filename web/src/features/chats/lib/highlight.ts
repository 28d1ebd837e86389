import type { LanguageFn } from 'highlight.js'
import bash from 'highlight.js/lib/languages/bash'
import css from 'highlight.js/lib/languages/css'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import python from 'highlight.js/lib/languages/python'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import type { Root } from 'hast'
import { createLowlight } from 'lowlight'

/**
 * Syntax highlighting for code in replies. The languages people paste most come with the chat screen; any other
 * of highlight.js's grammars is fetched the first time a reply uses it (one small file each).
 */
const lowlight = createLowlight({ bash, css, javascript, json, python, typescript, xml })

const grammars = import.meta.glob<LanguageFn>(
  ['/node_modules/highlight.js/es/languages/*.js', '!/node_modules/highlight.js/es/languages/*.js.js'],
  { import: 'default' },
)

// What people write after ``` for grammars not loaded yet (a loaded grammar knows its own aliases).
const aliases: Record<string, string> = {
  'c#': 'csharp', cs: 'csharp', 'c++': 'cpp', cc: 'cpp', h: 'c', hpp: 'cpp', golang: 'go', rs: 'rust', kt: 'kotlin',
  rb: 'ruby', md: 'markdown', yml: 'yaml', ps1: 'powershell', ps: 'powershell', docker: 'dockerfile', tf: 'hcl',
  hs: 'haskell', ex: 'elixir', exs: 'elixir', erl: 'erlang', ml: 'ocaml', pl: 'perl', jl: 'julia', m: 'objectivec',
  objc: 'objectivec', vb: 'vbnet', fs: 'fsharp', 'f#': 'fsharp', clj: 'clojure', proto: 'protobuf', gql: 'graphql',
  toml: 'ini', conf: 'nginx', psql: 'pgsql', postgres: 'pgsql',
}

const loading = new Map<string, Promise<boolean>>()

function fileOf(language: string): (() => Promise<LanguageFn>) | undefined {
  const name = aliases[language] ?? language
  return grammars[`/node_modules/highlight.js/es/languages/${name}.js`]
}

/** The code as highlighted syntax, or null when the language is unknown or its grammar not loaded yet. */
export function highlight(code: string, language: string | undefined): Root | null {
  if (!language || !lowlight.registered(language)) return null
  return lowlight.highlight(language, code)
}

/** Loads the grammar for a language; resolves false for a language highlight.js does not have. */
export function loadLanguage(language: string): Promise<boolean> {
  if (lowlight.registered(language)) return Promise.resolve(true)
  const load = fileOf(language)
  if (!load) return Promise.resolve(false)
  let pending = loading.get(language)
  if (!pending) {
    pending = load()
      .then((grammar) => {
        lowlight.register(aliases[language] ?? language, grammar)
        if (aliases[language]) lowlight.registerAlias(aliases[language], [language])
        return lowlight.registered(language)
      })
      .catch(() => {
        loading.delete(language) // offline, say: try again next time
        return false
      })
    loading.set(language, pending)
  }
  return pending
}
