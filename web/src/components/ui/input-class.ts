/** The look of a text box or text area in a form, red when its value is refused. */
export const inputClass = (invalid: boolean) =>
  `w-full rounded-lg border bg-white px-3 py-2 text-sm outline-none focus:ring-2 dark:bg-zinc-900 ${
    invalid
      ? 'border-red-600 focus:border-red-600 focus:ring-red-600/20 dark:border-red-400'
      : 'border-zinc-300 focus:border-accent-500 focus:ring-accent-500/20 dark:border-zinc-700'
  }`
