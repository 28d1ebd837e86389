import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/lib/api-client'
import type { components } from '@/lib/api/schema'
import { profileKey, type Profile } from './get-profile'

export type ProfileChange = components['schemas']['UpdateProfileRequest']

/** Saves the fields given (left out stay; empty ones are cleared) and returns the profile as stored. */
export function updateProfile(body: ProfileChange): Promise<Profile> {
  return unwrap(api.PATCH('/api/account/profile', { body }))
}

export function useUpdateProfile() {
  const queryClient = useQueryClient()
  return useMutation({ mutationFn: updateProfile, onSuccess: (saved) => queryClient.setQueryData(profileKey, saved) })
}
