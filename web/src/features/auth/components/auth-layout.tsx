import type { ReactNode } from 'react'

/** The signed-out pages' frame: the logo, a title and a line under it, then the page's form. */
export function AuthLayout({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="grid min-h-full place-items-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3">
          <img src="/favicon.svg" alt="" className="size-11" />
          <h1 className="text-2xl font-semibold">{title}</h1>
          <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">{subtitle}</p>
        </div>
        {children}
      </div>
    </main>
  )
}

/** A line that reports how something went: success in green, and read out (role=status). */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="mb-6 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
      {children}
    </p>
  )
}
