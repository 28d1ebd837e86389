import { errorMessage } from '@/lib/problem'
import { useChooseModel, useModels } from '../api/models'

/**
 * The chat's model, where the server offers a choice: "Default" (the user's, set in the settings) or one of the
 * models; Premium ones are listed for free users but cannot be picked.
 */
export function ModelPicker({ chatId, modelId }: { chatId: number; modelId: string | null | undefined }) {
  const models = useModels()
  const choose = useChooseModel()
  const list = models.data?.models ?? []
  if (list.length === 0) return null
  const fallback = list.find((m) => m.id === models.data?.default)?.name ?? 'the plan’s'
  const value = choose.isPending ? (choose.variables?.model ?? '') : (modelId ?? '')

  return (
    <>
      <select
        aria-label="Model for this chat"
        value={value}
        disabled={choose.isPending}
        onChange={(e) => choose.mutate({ chatId, model: e.target.value || null })}
        className="max-w-[9.5rem] truncate rounded-lg border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">Default ({fallback})</option>
        {list.map((m) => (
          <option key={m.id} value={m.id} disabled={!m.available}>
            {m.name}{m.available ? '' : ' · Premium'}
          </option>
        ))}
      </select>
      {choose.isError && <span role="alert" className="sr-only">{errorMessage(choose.error)}</span>}
    </>
  )
}
