import type { ReactNode } from 'react'
import { Button } from '@/components/ui/button'
import { downloadCsv, toCsv, type CsvCell } from '@/lib/csv'

export interface Column<T> {
  header: string
  /** The cell's value: what the CSV gets, and what is shown unless render says otherwise. */
  value: (row: T) => CsvCell
  render?: (row: T) => ReactNode
  numeric?: boolean
}

/** What a cell is, said on a phone, where a stacked table has no header above it. */
export function PhoneLabel({ children }: { children: string }) {
  return <span className="text-zinc-600 sm:hidden dark:text-zinc-400">{children}</span>
}

/** A table of the dashboard, with its caption and a button that downloads exactly its rows as CSV. */
export function DataTable<T>({ title, file, columns, rows, rowKey, empty = 'Nothing in this range.', stackOnPhone = false }: {
  title: string
  file: string
  columns: Column<T>[]
  rows: T[]
  rowKey: (row: T) => string
  empty?: string
  /** On a phone, each row as a card (its cells stacked, each named) instead of a table that scrolls sideways. */
  stackOnPhone?: boolean
}) {
  const stack = (classes: string) => (stackOnPhone ? classes : '')
  return (
    <section className="min-w-0 rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center justify-between gap-2 p-4 pb-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        <Button variant="secondary" className="px-2.5 py-1 text-xs" disabled={rows.length === 0}
          onClick={() => downloadCsv(`${file}.csv`, toCsv(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.value(r)))))}>
          Download CSV<span className="sr-only"> of {title}</span>
        </Button>
      </div>
      {rows.length === 0 ? (
        <p className="px-4 pb-4 text-sm text-zinc-600 dark:text-zinc-400">{empty}</p>
      ) : (
        <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label={title}>
          <table role="table" className={`w-full text-sm ${stack('max-sm:block')}`}>
            <thead role="rowgroup" className={stack('max-sm:hidden')}>
              <tr className="border-b border-zinc-200 text-left text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
                {columns.map((c) => (
                  <th role="columnheader" key={c.header} scope="col" className={`px-4 py-2 font-medium whitespace-nowrap ${c.numeric ? 'text-right' : ''}`}>{c.header}</th>
                ))}
              </tr>
            </thead>
            <tbody role="rowgroup" className={stack('max-sm:block')}>
              {rows.map((row) => (
                <tr role="row" key={rowKey(row)} className={`border-b border-zinc-100 last:border-0 dark:border-zinc-800/60 ${stack('max-sm:block max-sm:py-2')}`}>
                  {columns.map((c) => (
                    <td role="cell" key={c.header} className={`px-4 py-2 whitespace-nowrap ${c.numeric ? 'text-right tabular-nums' : ''} ${stack('max-sm:block max-sm:py-0.5 max-sm:text-left max-sm:whitespace-normal')}`}>
                      {stackOnPhone && <PhoneLabel>{`${c.header}: `}</PhoneLabel>}
                      {c.render ? c.render(row) : (c.value(row) ?? '—')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
