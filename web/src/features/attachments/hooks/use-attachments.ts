import { useCallback, useEffect, useRef, useState } from 'react'
import { deleteAttachment, getAttachment } from '../api/attachment-calls'
import { uploadAttachment, type Attachment } from '../api/upload-attachment'

/** A file in the composer: on its way up, uploaded, or refused (with why). */
export type DraftFile = {
  key: string
  name: string
  size: number
  isImage: boolean
  /** A local preview of an image being uploaded (an object URL), then its thumbnail's link. */
  preview?: string
  progress: number
  status: 'uploading' | 'ready' | 'failed'
  error?: string
  attachment?: Attachment
}

export const maxFiles = 5
export const maxFileBytes = 10 * 1024 * 1024

const storageKey = (chatId: number | undefined) => `parley:files:${chatId ?? 'new'}`

function readStored(chatId: number | undefined): Attachment[] {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(chatId)) ?? '[]') as Attachment[]
  } catch {
    return []
  }
}

function store(chatId: number | undefined, files: DraftFile[]) {
  const ready = files.flatMap((f) => (f.status === 'ready' && f.attachment ? [f.attachment] : []))
  try {
    if (ready.length) sessionStorage.setItem(storageKey(chatId), JSON.stringify(ready))
    else sessionStorage.removeItem(storageKey(chatId))
  } catch {
    // Private mode or a full quota: the files still live in memory.
  }
}

const fromAttachment = (a: Attachment): DraftFile => ({
  key: a.id,
  name: a.fileName,
  size: a.size,
  isImage: a.kind === 'Image',
  preview: a.thumbnailUrl ?? undefined,
  progress: 1,
  status: 'ready',
  attachment: a,
})

/** A kept file as the server has it now: still a draft (with fresh links), or gone or sent elsewhere, saying so. */
function rechecked(file: DraftFile, now: Attachment | null): DraftFile {
  if (now && !now.sent) return { ...fromAttachment(now), key: file.key, preview: file.preview?.startsWith('blob:') ? file.preview : (now.thumbnailUrl ?? undefined) }
  const error = now ? 'Already sent with another message. Remove it, or attach it again.' : 'This file was removed. Remove it, or attach it again.'
  return { ...file, status: 'failed', error }
}

let nextKey = 0

/**
 * The files attached to the message being written in a chat. Each uploads as soon as it is added (with its
 * progress); uploaded ones are kept in sessionStorage beside the draft, so they survive a refused send, a reload or
 * a trip to the upgrade page (their links are fetched again on return: they last 15 minutes).
 */
export function useAttachments(chatId: number | undefined) {
  const [files, setFiles] = useState<DraftFile[]>([])
  const current = useRef(chatId)
  const uploads = useRef(new Map<string, AbortController>())

  useEffect(() => {
    current.current = chatId
    const stored = readStored(chatId)
    setFiles(stored.map(fromAttachment))
    let live = true
    // Fresh links for what was kept; a file the server no longer has as a draft says so on its chip.
    void Promise.all(stored.map((a) => getAttachment(a.id).catch(() => a))).then((fresh) => {
      // A send may have taken the files meanwhile (a new chat's first message): those are no longer stored.
      const still = new Set(readStored(chatId).map((a) => a.id))
      if (!live) return
      const next = stored.flatMap((a, i) => (still.has(a.id) ? [rechecked(fromAttachment(a), fresh[i] ?? null)] : []))
      setFiles(next)
      store(chatId, next)
    })
    return () => {
      live = false
    }
  }, [chatId])

  const update = useCallback((key: string, change: (f: DraftFile) => DraftFile) => {
    setFiles((all) => {
      const before = all.find((f) => f.key === key)
      const next = all.map((f) => (f.key === key ? change(f) : f))
      // Only uploaded files are kept: a progress tick changes nothing stored.
      if (next.find((f) => f.key === key)?.status !== before?.status) store(current.current, next)
      return next
    })
  }, [])

  const latest = useRef(files)
  latest.current = files

  const add = useCallback(
    (picked: File[]) => {
      const room = Math.max(0, maxFiles - latest.current.filter((f) => f.status !== 'failed').length)
      const started: Array<[string, File]> = []
      const added = picked.map((file, i): DraftFile => {
        const key = `local-${nextKey++}`
        const base = { key, name: file.name || 'pasted image', size: file.size, isImage: file.type.startsWith('image/'), progress: 0 }
        if (i >= room) return { ...base, status: 'failed', error: `A message can carry at most ${maxFiles} files.` }
        if (file.size > maxFileBytes) return { ...base, status: 'failed', error: 'Too large: files can be at most 10 MB.' }
        started.push([key, file])
        return { ...base, status: 'uploading', preview: base.isImage ? URL.createObjectURL(file) : undefined }
      })
      setFiles((all) => [...all, ...added])
      for (const [key, file] of started) {
        const controller = new AbortController()
        uploads.current.set(key, controller)
        uploadAttachment(file, (progress) => update(key, (f) => ({ ...f, progress })), controller.signal)
          .then((attachment) => update(key, (f) => ({ ...fromAttachment(attachment), key: f.key, preview: f.preview ?? attachment.thumbnailUrl ?? undefined })))
          .catch((error: unknown) => {
            if (error instanceof DOMException && error.name === 'AbortError') return
            update(key, (f) => ({ ...f, status: 'failed', error: error instanceof Error ? error.message : 'The upload failed.' }))
          })
          .finally(() => uploads.current.delete(key))
      }
    },
    [update],
  )

  const remove = useCallback((key: string) => {
    uploads.current.get(key)?.abort()
    const gone = latest.current.find((f) => f.key === key)
    if (gone?.attachment) void deleteAttachment(gone.attachment.id).catch(() => undefined) // swept within a day anyway
    if (gone?.preview?.startsWith('blob:')) URL.revokeObjectURL(gone.preview)
    setFiles((all) => {
      const next = all.filter((f) => f.key !== key)
      store(current.current, next)
      return next
    })
  }, [])

  /** After a send took them: the composer starts empty (the files now belong to the message). */
  const clear = useCallback((forChat: number | undefined) => {
    store(forChat, [])
    if (forChat === current.current) setFiles([])
  }, [])

  /** A new chat was created for the send: its files move with the draft. */
  const carryTo = useCallback((target: number) => {
    store(target, latest.current)
    store(undefined, [])
  }, [])

  /**
   * After a send was refused for a file that is gone (removed, swept after a day, or sent from another tab): each
   * uploaded file is asked for again, and one the server no longer has as a draft says so on its chip.
   */
  const recheck = useCallback(async () => {
    const checked = await Promise.all(
      latest.current.filter((f) => f.status === 'ready' && f.attachment).map(async (f) => [f.key, await getAttachment(f.attachment!.id).catch(() => f.attachment!)] as const),
    )
    for (const [key, now] of checked) update(key, (f) => rechecked(f, now))
  }, [update])

  const ready = files.filter((f) => f.status === 'ready' && f.attachment).map((f) => f.attachment!)
  const busy = files.some((f) => f.status === 'uploading')
  return { files, ready, busy, add, remove, clear, carryTo, recheck }
}
