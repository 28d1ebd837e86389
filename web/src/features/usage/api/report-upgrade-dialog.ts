import { api } from '@/lib/api-client'

/**
 * Tells the operator's funnel the upgrade dialog was shown or closed without upgrading. Nothing depends on it: a
 * failure is ignored.
 */
export function reportUpgradeDialog(event: 'Shown' | 'Dismissed') {
  api.POST('/api/analytics/upgrade-dialog', { body: { event } }).catch(() => {})
}
