import { useInfiniteQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { QueryError } from "../../components/QueryError";
import { formatDateTime } from "../../lib/format";
import { NEW_NOTE_ID, notePath } from "../../lib/routes";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

export function NotesPage() {
  const trpc = useTRPC();
  const headingRef = usePageTitle("Notes");
  const notes = useInfiniteQuery(
    trpc.notes.list.infiniteQueryOptions({}, { initialCursor: null, getNextPageParam: (last) => last.nextCursor }),
  );
  const items = notes.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="page-header">
        <h1 ref={headingRef} tabIndex={-1}>
          Notes
        </h1>
        <Link href={notePath(NEW_NOTE_ID)} className="button primary">
          New note
        </Link>
      </div>
      {notes.isError && <QueryError error={notes.error} retry={() => void notes.refetch()} />}
      {notes.isPending && <p className="loading">Loading notes…</p>}
      {notes.isSuccess && items.length === 0 && <p>No notes yet.</p>}
      {items.length > 0 && (
        <ul className="note-list" aria-label="Notes">
          {items.map((n) => (
            <li key={n.id}>
              <Link href={notePath(n.id)}>{n.title}</Link>
              <span className="muted">Updated {formatDateTime(n.updatedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {notes.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={notes.isFetchingNextPage}
          onClick={() => void notes.fetchNextPage()}
        >
          {notes.isFetchingNextPage ? "Loading…" : "Load more notes"}
        </button>
      )}
    </>
  );
}
