import type { components } from '@/lib/api/schema'
import { ApiError, toProblem } from '@/lib/problem'
import { sessionStore } from '@/lib/session'

export type Attachment = components['schemas']['AttachmentResponse']

function send(file: File, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/attachments')
    xhr.responseType = 'json'
    xhr.withCredentials = true
    if (sessionStore.accessToken) xhr.setRequestHeader('Authorization', `Bearer ${sessionStore.accessToken}`)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total)
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response })
    xhr.onerror = () => reject(new ApiError(0, toProblem(0, { detail: 'The upload did not get through. Check the connection and try again.' })))
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'))
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    const form = new FormData()
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

/**
 * Uploads one file for the message being written (XMLHttpRequest, for its upload progress: fetch has none). The
 * token is refreshed first when it is about to expire, and once more after a 401. A refusal becomes an
 * {@link ApiError} with the server's problem (too large, type not allowed, unreadable, storage full).
 */
export async function uploadAttachment(file: File, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Attachment> {
  if (sessionStore.session && sessionStore.isStale()) await sessionStore.refresh()
  let result = await send(file, onProgress, signal)
  if (result.status === 401 && sessionStore.session && (await sessionStore.refresh())) result = await send(file, onProgress, signal)
  if (result.status !== 201) throw new ApiError(result.status, toProblem(result.status, result.body))
  return result.body as Attachment
}
