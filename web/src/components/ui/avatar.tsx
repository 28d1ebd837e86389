// Backgrounds the initial reads on (white text, AA contrast), chosen by the name so a person keeps theirs.
const colours = ['bg-indigo-600', 'bg-emerald-700', 'bg-rose-700', 'bg-amber-700', 'bg-sky-700', 'bg-violet-700', 'bg-teal-700', 'bg-fuchsia-700']

function colourOf(name: string) {
  let hash = 0
  for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) | 0
  return colours[Math.abs(hash) % colours.length]
}

const sizes = { sm: 'size-7 text-xs', md: 'size-8 text-sm', lg: 'size-20 text-3xl' }

/** A person's picture, or the first letter of their name on a colour; decorative (the name is said beside it). */
export function Avatar({ name, url, size = 'md' }: { name: string; url?: string | null; size?: keyof typeof sizes }) {
  if (url) return <img src={url} alt="" aria-hidden className={`${sizes[size]} shrink-0 rounded-full object-cover`} />
  return (
    <span aria-hidden className={`grid ${sizes[size]} shrink-0 place-items-center rounded-full font-semibold text-white uppercase ${colourOf(name)}`}>
      {[...name.trim()][0] ?? '?'}
    </span>
  )
}
