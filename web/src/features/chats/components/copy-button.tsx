import { useEffect, useState } from 'react'
import { IconButton, icons } from '@/components/ui/icon-button'

/** Copies text to the clipboard and says "Copied" for a moment (to screen readers too, through a live region). */
export function CopyButton({ text, label = 'Copy message', compact = false }: { text: string; label?: string; compact?: boolean }) {
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    if (!copied) return
    const timer = setTimeout(() => setCopied(false), 1500)
    return () => clearTimeout(timer)
  }, [copied])

  async function copy() {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(true)
    } catch {
      setCopied(false) // no clipboard (an insecure origin, or permission refused): nothing to say it worked
    }
  }

  return (
    <>
      <IconButton label={copied ? 'Copied' : label} tooltip={copied ? 'Copied' : label} onClick={() => void copy()} small={compact}>
        {copied ? icons.check : icons.copy}
      </IconButton>
      <span role="status" className="sr-only">
        {copied ? 'Copied' : ''}
      </span>
    </>
  )
}
