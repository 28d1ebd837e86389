/// <reference types="vitest/config" />
import { mkdirSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath, URL } from 'node:url'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig, type Plugin } from 'vite'

/**
 * Writes the build's chunk graph (which chunk each entry and route loads) to web/.bundle/chunks.json, for the
 * bundle budgets test (src/test/bundle-budget.test.ts) to add up what each route downloads.
 */
function chunkGraph(): Plugin {
  const root = fileURLToPath(new URL('.', import.meta.url))
  return {
    name: 'parley-chunk-graph',
    apply: 'build',
    writeBundle(options, bundle) {
      const chunks = Object.values(bundle).flatMap((c) =>
        c.type === 'chunk'
          ? [
              {
                file: c.fileName,
                isEntry: c.isEntry,
                module: c.facadeModuleId && relative(root, c.facadeModuleId),
                modules: Object.keys(c.modules).map((m) => relative(root, m)),
                imports: c.imports,
                dynamicImports: c.dynamicImports,
              },
            ]
          : [],
      )
      mkdirSync(`${root}.bundle`, { recursive: true })
      writeFileSync(`${root}.bundle/chunks.json`, JSON.stringify({ outDir: options.dir, chunks }, null, 1))
    },
  }
}

// The production build goes straight into the ASP.NET Core app's wwwroot, so one origin serves UI and API.
// `npm run dev` serves the UI with hot reload and proxies /api to the app (dotnet run, port 5000).
export default defineConfig({
  plugins: [react(), tailwindcss(), chunkGraph()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: '../src/Parley/wwwroot',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.PARLEY_API ?? 'http://localhost:5000', changeOrigin: false } },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
})
