import { useId, useRef, useState } from 'react'
import { Avatar } from '@/components/ui/avatar'
import { Button } from '@/components/ui/button'
import { api, authorizedFetch, unwrap } from '@/lib/api-client'
import { useAuth } from '@/lib/auth'
import { errorMessage } from '@/lib/problem'
import { sessionStore } from '@/lib/session'

const maxBytes = 5 * 1024 * 1024

/** The profile picture: upload (cropped square and resized by the server, its metadata removed) or remove. */
export function AvatarPicker({ name }: { name: string }) {
  const { user } = useAuth()
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const id = useId()
  const url = user?.avatarUrl ?? null

  const upload = async (file: File) => {
    setError(null)
    if (file.size > maxBytes) return setError(new Error('Pictures can be at most 5 MB. Choose a smaller one.'))
    setBusy(true)
    try {
      const response = await authorizedFetch('/api/account/avatar', {
        method: 'PUT',
        body: file,
        headers: { 'Content-Type': file.type || 'application/octet-stream' },
      })
      sessionStore.updateUser({ avatarUrl: ((await response.json()) as { url: string }).url })
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }

  const remove = async () => {
    setError(null)
    setBusy(true)
    try {
      await unwrap(api.DELETE('/api/account/avatar'))
      sessionStore.updateUser({ avatarUrl: null })
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="mt-3 flex flex-wrap items-center gap-4 text-sm">
      <span data-testid="profile-avatar"><Avatar name={name} url={url} size="lg" /></span>
      <div className="grid gap-2">
        <div className="flex flex-wrap gap-2">
          <input ref={input} id={id} type="file" accept="image/png,image/jpeg,image/webp,image/gif" className="sr-only" tabIndex={-1}
            aria-label="Picture file" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
          <Button variant="secondary" disabled={busy} onClick={() => input.current?.click()}>
            {busy ? 'Saving…' : url ? 'Change picture' : 'Upload a picture'}
          </Button>
          {url && <Button variant="ghost" disabled={busy} onClick={remove}>Remove picture</Button>}
        </div>
        <p className="text-zinc-600 dark:text-zinc-400">PNG, JPEG, WebP or GIF, up to 5 MB. It is cropped to a square.</p>
        {error !== null && <p role="alert" className="text-red-700 dark:text-red-400">{errorMessage(error)}</p>}
      </div>
    </div>
  )
}
