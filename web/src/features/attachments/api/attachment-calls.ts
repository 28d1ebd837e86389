import { api, unwrap } from '@/lib/api-client'
import type { Attachment } from './upload-attachment'

/** Removes a draft's attachment (one not sent yet); a file already gone is not an error. */
export async function deleteAttachment(id: string): Promise<void> {
  const { response } = await api.DELETE('/api/attachments/{id}', { params: { path: { id } } })
  if (!response.ok && response.status !== 404) throw new Error(`Removing the file failed (${response.status}).`)
}

/** The attachment with fresh links (they last 15 minutes), or null when it is gone. */
export async function getAttachment(id: string): Promise<Attachment | null> {
  const { data, response } = await api.GET('/api/attachments/{id}', { params: { path: { id } } })
  if (response.status === 404) return null
  return unwrap(Promise.resolve({ data, response }))
}
