import { useId, useMemo } from 'react'
import { Spinner } from '@/components/ui/spinner'
import { formatFullTime } from '@/lib/format'
import { applyTheme } from '@/lib/preferences'
import { errorMessage } from '@/lib/problem'
import { sessionStore } from '@/lib/session'
import { modelsKey, useModels } from '@/features/chats/api/models'
import { useQueryClient } from '@tanstack/react-query'
import { useProfile, type Profile } from '../api/get-profile'
import { useUpdateProfile, type ProfileChange } from '../api/update-profile'

const themes = [
  { value: 'System', label: 'As the device' },
  { value: 'Light', label: 'Light' },
  { value: 'Dark', label: 'Dark' },
] as const

const selectClass =
  'rounded-lg border border-zinc-300 bg-white px-3 py-2 outline-none focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 dark:border-zinc-700 dark:bg-zinc-900'

/**
 * Theme, time zone, clock, and the model for new replies where the server offers several: each saved as soon as it is chosen, kept on the account (so every device follows it)
 * and applied here at once; a line shows how times will read.
 */
export function AppearanceForm() {
  const profile = useProfile()
  if (profile.isPending) return <Spinner label="Loading your preferences" className="mt-3" />
  if (profile.isError) return <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{errorMessage(profile.error)}</p>
  return <Fields profile={profile.data} />
}

function Fields({ profile }: { profile: Profile }) {
  const save = useUpdateProfile()
  const queryClient = useQueryClient()
  const id = useId()
  const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), [])
  const models = useModels().data?.models ?? []
  const theme = save.isPending && save.variables?.theme ? save.variables.theme : (profile.theme ?? 'System')

  const change = (fields: ProfileChange) => {
    if (fields.theme) applyTheme(fields.theme) // at once; put back if the server refuses
    save.mutate(fields, {
      onSuccess: (saved) => {
        if (fields.defaultModel !== undefined) void queryClient.invalidateQueries({ queryKey: modelsKey })
        sessionStore.updateUser({ theme: saved.theme, timeZone: saved.timeZone, clock: saved.clock })
      },
      onError: () => applyTheme(profile.theme),
    })
  }

  return (
    <div className="mt-6 grid gap-4 text-sm">
      <fieldset className="grid gap-2">
        <legend className="font-medium">Theme</legend>
        <div className="flex flex-wrap gap-2">
          {themes.map((t) => (
            <label key={t.value}
              className="flex cursor-pointer items-center gap-2 rounded-lg border border-zinc-300 px-3 py-2 has-[:checked]:border-accent-600 has-[:checked]:bg-accent-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500 dark:border-zinc-700 dark:has-[:checked]:border-accent-400 dark:has-[:checked]:bg-zinc-800">
              <input type="radio" name={`${id}-theme`} value={t.value} checked={theme === t.value} className="accent-accent-600"
                onChange={() => change({ theme: t.value })} />
              {t.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="grid gap-1">
        <span className="font-medium">Time zone</span>
        <select value={profile.timeZone ?? ''} onChange={(e) => change({ timeZone: e.target.value })} className={selectClass}>
          <option value="">This device's ({deviceZone})</option>
          {zones.map((z) => <option key={z} value={z}>{z.replaceAll('_', ' ')}</option>)}
        </select>
      </label>
      <label className="grid gap-1">
        <span className="font-medium">Clock</span>
        <select value={profile.clock ?? 'Auto'} onChange={(e) => change({ clock: e.target.value as Profile['clock'] })} className={selectClass}>
          <option value="Auto">As your language writes it</option>
          <option value="H12">12-hour (3:05 PM)</option>
          <option value="H24">24-hour (15:05)</option>
        </select>
      </label>
      {models.length > 0 && (
        <label className="grid gap-1">
          <span className="font-medium">Model for your chats</span>
          <select value={profile.defaultModel ?? ''} onChange={(e) => change({ defaultModel: e.target.value })} className={selectClass}>
            <option value="">The plan's own</option>
            {models.map((m) => (
              <option key={m.id} value={m.id} disabled={!m.available}>{m.name}{m.available ? '' : ' · Premium'}</option>
            ))}
          </select>
          <span className="text-zinc-600 dark:text-zinc-400">Each chat can use another one: choose it at the top of the chat.</span>
        </label>
      )}
      <p className="text-zinc-600 dark:text-zinc-400" data-testid="time-preview">
        Times read like this: {formatFullTime(new Date().toISOString())}
      </p>
      {save.isError && <p role="alert" className="text-red-700 dark:text-red-400">{errorMessage(save.error)}</p>}
    </div>
  )
}
