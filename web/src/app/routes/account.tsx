import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { useBilling } from '@/features/billing/api/get-billing'
import { useOpenPortal } from '@/features/billing/api/open-portal'
import { useStartCheckout } from '@/features/billing/api/start-checkout'
import { ConnectionBanner } from '@/app/connection-banner'
import { PastDueBanner } from '@/features/billing/components/past-due-banner'
import { TestModeBanner } from '@/features/billing/components/test-mode-banner'
import { PlanSummary } from '@/features/billing/components/plan-summary'
import { usePlans } from '@/features/usage/api/get-plans'
import { StorageSummary } from '@/features/attachments/components/storage-summary'
import { PasswordForm } from '@/features/account/components/password-form'
import { ProfileForm } from '@/features/account/components/profile-form'
import { SessionList } from '@/features/account/components/session-list'
import { DeleteAccount } from '@/features/account/components/delete-account'
import { EmailForm } from '@/features/account/components/email-form'
import { ExportData } from '@/features/account/components/export-data'
import { AppearanceForm } from '@/features/account/components/appearance-form'
import { AvatarPicker } from '@/features/account/components/avatar-picker'
import { useAuth } from '@/lib/auth'
import { describeWindow } from '@/lib/format'
import { errorMessage } from '@/lib/problem'

/**
 * Settings, in five sections a bar at the top jumps between: profile (name), personalization (custom instructions,
 * theme, time zone, clock), account and security (email, password, signed-in devices), billing (the plan, its
 * renewal or end and the way to manage it, and the room files take), and your data (export, delete the account).
 */
const sections = [
  ['profile', 'Profile'],
  ['personalization', 'Personalization'],
  ['security', 'Account and security'],
  ['billing', 'Billing'],
  ['data', 'Your data'],
] as const

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`}
      className="mt-6 scroll-mt-16 rounded-2xl border border-zinc-200 bg-white p-4 sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id={`${id}-title`} className="text-lg font-semibold">{title}</h2>
      {children}
    </section>
  )
}

export function AccountRoute() {
  const { user } = useAuth()
  const billing = useBilling()
  const plans = usePlans()
  const portal = useOpenPortal()
  const checkout = useStartCheckout()
  const b = billing.data
  const premium = plans.data?.plans.find((p) => p.plan === 'Premium')
  const free = plans.data?.plans.find((p) => p.plan === 'Free')

  return (
    <main className="min-h-full bg-zinc-50 dark:bg-zinc-950">
      <ConnectionBanner />
      {b && <TestModeBanner billing={b} />}
      {b && <PastDueBanner billing={b} busy={portal.isPending} onUpdateCard={() => portal.mutate()} />}
      <div className="mx-auto max-w-2xl px-4 py-8">
        <Link to="/" className="text-sm text-accent-600 hover:underline dark:text-accent-300">
          ← Back to chats
        </Link>
        <h1 className="mt-4 text-2xl font-semibold">Settings</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{user?.email}</p>
        <nav aria-label="Settings sections" className="sticky top-0 z-10 -mx-4 mt-4 overflow-x-auto bg-zinc-50/95 px-4 py-2 backdrop-blur dark:bg-zinc-950/95">
          <ul className="flex gap-1 text-sm whitespace-nowrap">
            {sections.map(([id, label]) => (
              <li key={id}>
                <a href={`#${id}`} className="block rounded-lg px-3 py-1.5 text-zinc-700 hover:bg-zinc-200/70 dark:text-zinc-300 dark:hover:bg-zinc-800">{label}</a>
              </li>
            ))}
          </ul>
        </nav>

        <Section id="profile" title="Profile">
          {user && <AvatarPicker name={user.displayName ?? user.email} />}
          <ProfileForm part="name" />
        </Section>

        <Section id="personalization" title="Personalization">
          <ProfileForm part="instructions" />
          <AppearanceForm />
        </Section>

        <Section id="security" title="Account and security">
          {user && <EmailForm current={user.email} />}
          <PasswordForm />
          <SessionList />
        </Section>

        <Section id="billing" title="Billing">
          <h3 className="mt-3 text-sm font-medium">Plan</h3>
          {billing.isPending && <Spinner label="Loading your plan" className="mt-3" />}
          {billing.isError && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{errorMessage(billing.error)}</p>}
          {b && (
            <>
              <p className="mt-1 text-xl font-semibold">
                <PlanSummary billing={b} />
              </p>
              <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
                {b.plan === 'Premium'
                  ? premium?.messageLimit == null
                    ? 'Unlimited messages.'
                    : `${premium.messageLimit} messages every ${describeWindow(premium.windowSeconds)}.`
                  : free
                    ? `${free.messageLimit} messages every ${describeWindow(free.windowSeconds)}. Premium (${b.priceLabel}) removes the limit.`
                    : null}
              </p>
              <div className="mt-5 flex flex-wrap gap-2">
                {b.canManage && (
                  <Button variant={b.plan === 'Premium' ? 'primary' : 'secondary'} disabled={portal.isPending} onClick={() => portal.mutate()}>
                    Manage subscription
                  </Button>
                )}
                {b.plan !== 'Premium' && b.paymentsAvailable && (
                  <Button disabled={checkout.isPending} onClick={() => checkout.mutate('/account')}>
                    Upgrade to Premium · {b.priceLabel}
                  </Button>
                )}
              </div>
              {(portal.isError || checkout.isError) && (
                <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-400">{errorMessage(portal.error ?? checkout.error)}</p>
              )}
              {!b.paymentsAvailable && b.plan !== 'Premium' && (
                <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">Payments aren't set up on this server yet, so Premium can't be bought here.</p>
              )}
            </>
          )}
          <h3 className="mt-6 text-sm font-medium">Storage</h3>
          <StorageSummary />
        </Section>

        <Section id="data" title="Your data">
          <ExportData />
          <DeleteAccount billing={b} />
        </Section>
      </div>
    </main>
  )
}
