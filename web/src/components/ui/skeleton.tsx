import type { CSSProperties } from 'react'

/** A grey placeholder with a soft pulse, in the shape of what is loading (reduced motion: no pulse). */
export function Skeleton({ className = '', style }: { className?: string; style?: CSSProperties }) {
  return <div aria-hidden style={style} className={`animate-pulse rounded-md bg-zinc-200 motion-reduce:animate-none dark:bg-zinc-800 ${className}`} />
}
