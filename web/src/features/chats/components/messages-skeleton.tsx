import { Skeleton } from '@/components/ui/skeleton'

/** The shape of a conversation while its messages load. */
export function MessagesSkeleton() {
  return (
    <div className="flex-1 overflow-hidden" aria-busy="true" aria-label="Loading messages" role="status">
      <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-10">
        <Skeleton className="ml-auto h-10 w-2/5 rounded-2xl" />
        <div className="flex gap-3">
          <Skeleton className="size-7 shrink-0 rounded-full" />
          <div className="flex flex-1 flex-col gap-2">
            <Skeleton className="h-4 w-11/12" />
            <Skeleton className="h-4 w-4/5" />
            <Skeleton className="h-4 w-3/5" />
          </div>
        </div>
        <Skeleton className="ml-auto h-10 w-1/3 rounded-2xl" />
      </div>
    </div>
  )
}
