import { formatFullTime, formatMessageTime } from '@/lib/format'
import { errorMessage } from '@/lib/problem'
import { useAuditLog, type AdminAction } from '../api/users'
import { DataTable } from './data-table'

const actionNames: Record<string, string> = {
  'grant-premium': 'Granted Premium',
  'remove-premium': 'Removed Premium',
  disable: 'Disabled the account',
  enable: 'Enabled the account',
  'reset-usage': 'Reset usage',
}

/** What admins did, newest first: who, what, to whom, when. */
export function AuditView() {
  const log = useAuditLog()
  if (log.isError) return <p role="alert" className="text-sm text-red-700 dark:text-red-400">{errorMessage(log.error)}</p>
  if (!log.data) return <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">Loading the audit log…</p>
  return (
    <DataTable<AdminAction> title="Audit log (the last 200 actions)" file="audit-log" rows={log.data} rowKey={(a) => String(a.id)} empty="No admin has done anything yet." stackOnPhone
      columns={[
        { header: 'When', value: (a) => a.at, render: (a) => <time dateTime={a.at} title={formatFullTime(a.at)}>{formatMessageTime(a.at)}</time> },
        { header: 'Admin', value: (a) => a.adminEmail },
        { header: 'Action', value: (a) => actionNames[a.action] ?? a.action },
        { header: 'User', value: (a) => a.targetEmail },
      ]} />
  )
}
