import { useEffect, useState } from 'react'

export type PasswordStrength = { score: number; weak: boolean; hint: string }

type Checker = (password: string, userInputs: string[]) => PasswordStrength

let checker: Promise<Checker> | undefined

/**
 * zxcvbn (the estimator the server also uses) with its common-password dictionary. About 400 KB, so it is loaded
 * only when someone starts typing a new password, never with the rest of the app. The server stays the authority.
 */
function loadChecker(): Promise<Checker> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(([core, common]) => {
    core.zxcvbnOptions.setOptions({ graphs: common.adjacencyGraphs, dictionary: common.dictionary })
    return (password, userInputs) => {
      const result = core.zxcvbn(password, userInputs)
      const onlyCommon = result.sequence.length > 0 && result.sequence.every((m) => m.pattern === 'dictionary' && m.dictionaryName === 'passwords')
      const weak = result.score < 2 || onlyCommon
      return {
        score: result.score,
        weak,
        hint: onlyCommon
          ? 'This is one of the most common passwords. Try three or four unrelated words.'
          : weak
            ? 'Too easy to guess. Add another word or two.'
            : result.score >= 4
              ? 'Strong password.'
              : 'Good password.',
      }
    }
  })
  return checker
}

/** How guessable <password> is, once it is long enough to judge; undefined while loading or when empty. */
export function usePasswordStrength(password: string, email: string, enabled: boolean): PasswordStrength | undefined {
  const [strength, setStrength] = useState<PasswordStrength>()
  useEffect(() => {
    if (!enabled || password.length < 8) {
      setStrength(undefined)
      return
    }

    let current = true
    loadChecker()
      .then((check) => current && setStrength(check(password, email.split(/[@.+_-]/).filter(Boolean))))
      .catch(() => current && setStrength(undefined)) // offline or blocked: the server still checks
    return () => {
      current = false
    }
  }, [password, email, enabled])
  return strength
}
