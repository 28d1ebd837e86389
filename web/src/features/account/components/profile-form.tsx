import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react'
import { Button } from '@/components/ui/button'
import { inputClass } from '@/components/ui/input-class'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage, fieldErrors } from '@/lib/problem'
import { sessionStore } from '@/lib/session'
import { useProfile, type Profile } from '../api/get-profile'
import { useUpdateProfile } from '../api/update-profile'

export const maxInstructions = 1500
const maxName = 80

type Part = 'name' | 'instructions'

/**
 * The name Parley calls you (part "name"), or the custom instructions every new reply follows (part
 * "instructions"), each saved with its own button; a count under each box says how much room is left, and the
 * server's own limit is the same.
 */
export function ProfileForm({ part }: { part: Part }) {
  const profile = useProfile()
  if (profile.isPending) return <Spinner label="Loading your profile" className="mt-3" />
  if (profile.isError) return <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{errorMessage(profile.error)}</p>
  return <Fields profile={profile.data} part={part} />
}

function Fields({ profile, part }: { profile: Profile; part: Part }) {
  const save = useUpdateProfile()
  const [name, setName] = useState(profile.displayName ?? '')
  const [about, setAbout] = useState(profile.aboutYou ?? '')
  const [style, setStyle] = useState(profile.replyStyle ?? '')
  const [saved, setSaved] = useState(false)
  const errors = fieldErrors(save.error)
  const naming = part === 'name'
  const tooLong = naming ? name.length > maxName : about.length > maxInstructions || style.length > maxInstructions
  const changed = naming ? name !== (profile.displayName ?? '') : about !== (profile.aboutYou ?? '') || style !== (profile.replyStyle ?? '')
  useEffect(() => setSaved(false), [name, about, style])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(naming ? { displayName: name } : { aboutYou: about, replyStyle: style }, {
      onSuccess: (p) => {
        if (naming) {
          setName(p.displayName ?? '')
          sessionStore.updateUser({ displayName: p.displayName ?? null }) // the name beside your messages and on your initial
        } else {
          setAbout(p.aboutYou ?? '')
          setStyle(p.replyStyle ?? '')
        }
        setSaved(true)
      },
    })
  }

  return (
    <form onSubmit={submit} className="mt-3 grid gap-4 text-sm" noValidate>
      {naming ? (
      <Field label="Name" hint="What Parley calls you, shown in the sidebar." error={errors.displayName} count={name.length} max={maxName}>
        {(props) => <input {...props} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} className={inputClass(Boolean(props['aria-invalid']))} />}
      </Field>
      ) : (<>
      <Field label="What should Parley know about you?" hint="Your work, interests, where you live: used in every new reply."
        error={errors.aboutYou} count={about.length} max={maxInstructions}>
        {(props) => <textarea {...props} rows={4} value={about} onChange={(e) => setAbout(e.target.value)} className={`${inputClass(Boolean(props['aria-invalid']))} resize-y`} />}
      </Field>
      <Field label="How should Parley reply?" hint="Tone, length, format: “short answers”, “explain like I'm new to this”."
        error={errors.replyStyle} count={style.length} max={maxInstructions}>
        {(props) => <textarea {...props} rows={4} value={style} onChange={(e) => setStyle(e.target.value)} className={`${inputClass(Boolean(props['aria-invalid']))} resize-y`} />}
      </Field>
      </>)}
      {save.isError && !Object.keys(errors).length && <p role="alert" className="text-red-700 dark:text-red-400">{errorMessage(save.error)}</p>}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending || tooLong || !changed}>{save.isPending ? 'Saving…' : 'Save'}</Button>
        {saved && <p role="status" className="text-emerald-700 dark:text-emerald-400">{naming ? 'Saved.' : 'Saved. New replies will follow it.'}</p>}
      </div>
    </form>
  )
}

type ControlProps = { id: string; 'aria-invalid': boolean; 'aria-describedby': string }

function Field({ label, hint, error, count, max, children }: {
  label: string
  hint: string
  error?: string
  count: number
  max: number
  children: (props: ControlProps) => ReactNode
}) {
  const id = useId()
  const over = count > max
  const message = error ?? (over ? `Too long: ${count.toLocaleString()} of ${max.toLocaleString()} characters.` : hint)
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="font-medium">{label}</label>
      {children({ id, 'aria-invalid': Boolean(error) || over, 'aria-describedby': `${id}-hint` })}
      <div className="flex justify-between gap-3">
        <span id={`${id}-hint`} className={error || over ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}>{message}</span>
        <span aria-hidden className={`shrink-0 tabular-nums ${over ? 'text-red-700 dark:text-red-400' : 'text-zinc-600 dark:text-zinc-400'}`}>
          {count.toLocaleString()}/{max.toLocaleString()}
        </span>
      </div>
    </div>
  )
}
