import { useEffect, useRef, useSyncExternalStore } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface ChartSeries {
  label: string
  values: number[]
  /** A Tailwind-independent colour that reads on light and dark (the 500s of the palette). */
  color: string
}

/**
 * Daily figures as lines (uPlot: small, fast, canvas). The canvas is an image to assistive technology, described by
 * the title; the same figures are in the table below each chart, and in its CSV.
 */
const wholeSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7]

/** Whether the page is dark now (the theme puts .dark on <html>): the canvas is drawn again in the other scheme's ink. */
function useDark() {
  return useSyncExternalStore(
    (changed) => {
      const watch = new MutationObserver(changed)
      watch.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] })
      return () => watch.disconnect()
    },
    () => document.documentElement.classList.contains('dark'),
  )
}

export function LineChart({ title, days, series, totals = true }: { title: string; days: string[]; series: ChartSeries[]; totals?: boolean }) {
  const box = useRef<HTMLDivElement>(null)
  const dark = useDark()

  useEffect(() => {
    const element = box.current
    if (!element) return
    const style = getComputedStyle(element)
    const ink = style.color
    const grid = style.borderColor
    const x = days.map((d) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10)) / 1000)
    const chart = new uPlot(
      {
        width: element.clientWidth,
        height: 200,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'), // the days are the operator's, drawn as they are
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [
          { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
          // Counts: whole-number steps only.
          { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 48, incrs: wholeSteps },
        ],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: days.length <= 31 } }))],
      },
      [x, ...series.map((s) => s.values)],
      element,
    )
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: 200 }))
    resize.observe(element)
    return () => {
      resize.disconnect()
      chart.destroy()
    }
  }, [days, series, dark])

  return (
    <figure className="min-w-0 rounded-2xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-sm font-semibold">{title}</span>
        <span className="flex flex-wrap gap-3 text-xs text-zinc-600 dark:text-zinc-400">
          {series.map((s) => (
            <span key={s.label} className="inline-flex items-center gap-1.5">
              <span className="inline-block h-0.5 w-3 rounded" style={{ background: s.color }} aria-hidden />
              {s.label}
              {totals && <strong className="font-semibold text-zinc-900 dark:text-zinc-100">{s.values.reduce((a, b) => a + b, 0).toLocaleString()}</strong>}
            </span>
          ))}
        </span>
      </figcaption>
      <div
        ref={box}
        role="img"
        aria-label={`${title}, ${days.length} day${days.length === 1 ? '' : 's'}: ${series.map((s) => `${s.label} ${totals ? `${s.values.reduce((a, b) => a + b, 0)} in total` : `up to ${Math.max(0, ...s.values)} a day`}`).join(', ')}`}
        className="mt-3 w-full border-zinc-200 text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
      />
    </figure>
  )
}
