/**
 * What shows while the app or a screen loads: the same mark index.html paints before any script runs, so a cold
 * load goes from this to the screen without a blank page in between.
 */
export function LoadingScreen({ label = 'Loading Parley' }: { label?: string }) {
  return (
    <div role="status" aria-label={label} className="grid h-full place-items-center">
      <div className="flex flex-col items-center gap-3">
        <img src="/favicon.svg" alt="" className="size-12 animate-pulse" />
        <span className="text-lg font-semibold tracking-tight text-zinc-700 dark:text-zinc-200">Parley</span>
      </div>
    </div>
  )
}
