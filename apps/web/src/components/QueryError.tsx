import { describeError } from "../lib/errors";

/** The error of a failed query, with a retry for the failures that a retry can fix. */
export function QueryError({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="form-error" role="alert">
      <p>{describeError(error)}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
