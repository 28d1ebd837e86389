import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import { queryKeys } from '@/lib/query-client'

/** The prompts offered on an empty chat (set by the operator; the server has defaults). */
export function useSuggestions() {
  return useQuery({
    queryKey: queryKeys.suggestions,
    queryFn: () => unwrap(api.GET('/api/chats/suggestions')),
    staleTime: Infinity,
    select: (data) => data.suggestions,
  })
}
