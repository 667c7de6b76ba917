import { TASK_PRIORITIES, TASK_STATUSES } from "@taskmaster/security/schemas";
import { useEffect, useId, useRef, useState } from "react";
import { useDebounced } from "../../lib/use-debounced";
import { PRIORITY_LABELS, SORTS, STATUS_LABELS, type TaskFilters, type TaskSort } from "./filters";

const SORT_LABELS: Record<TaskSort, string> = {
  position: "Manual order",
  created: "Newest first",
  due: "Due date",
  priority: "Priority",
};

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list, value] : list.filter((v) => v !== value);
}

interface FilterBarProps {
  filters: TaskFilters;
  onChange: (next: TaskFilters) => void;
}

export const SEARCH_DEBOUNCE_MS = 300;

export function FilterBar({ filters, onChange }: FilterBarProps) {
  const id = useId();
  // The search box keeps its own text so typing stays instant; the URL (and so
  // the query) follows once the user pauses.
  const [text, setText] = useState(filters.search);
  const debounced = useDebounced(text, SEARCH_DEBOUNCE_MS);
  const latest = useRef({ filters, onChange });
  latest.current = { filters, onChange };
  // Fires only when the debounced text changes, never because the URL did.
  useEffect(() => {
    const { filters: current, onChange: change } = latest.current;
    if (debounced !== current.search) change({ ...current, search: debounced });
  }, [debounced]);
  // Back/forward navigation changes the URL under us: follow it, unless the
  // change is our own debounced text arriving (the user may have typed on).
  const [urlSearch, setUrlSearch] = useState(filters.search);
  if (filters.search !== urlSearch) {
    setUrlSearch(filters.search);
    if (filters.search !== debounced) setText(filters.search);
  }

  return (
    <search className="filter-bar" aria-label="Filter tasks">
      <div className="field">
        <label htmlFor={`${id}-q`}>Search</label>
        <input id={`${id}-q`} type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <fieldset>
        <legend>Status</legend>
        {TASK_STATUSES.map((s) => (
          <label key={s} className="checkbox">
            <input
              type="checkbox"
              checked={filters.status.includes(s)}
              onChange={(e) => onChange({ ...filters, status: toggle(filters.status, s, e.target.checked) })}
            />
            {STATUS_LABELS[s]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Priority</legend>
        {TASK_PRIORITIES.map((p) => (
          <label key={p} className="checkbox">
            <input
              type="checkbox"
              checked={filters.priority.includes(p)}
              onChange={(e) => onChange({ ...filters, priority: toggle(filters.priority, p, e.target.checked) })}
            />
            {PRIORITY_LABELS[p]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-tag`}>Tag</label>
        <input
          id={`${id}-tag`}
          defaultValue={filters.tag}
          key={filters.tag}
          onBlur={(e) => e.target.value !== filters.tag && onChange({ ...filters, tag: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === "Enter") onChange({ ...filters, tag: e.currentTarget.value });
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Due from</label>
        <input
          id={`${id}-from`}
          type="date"
          value={filters.dueFrom}
          onChange={(e) => onChange({ ...filters, dueFrom: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Due to</label>
        <input
          id={`${id}-to`}
          type="date"
          value={filters.dueTo}
          onChange={(e) => onChange({ ...filters, dueTo: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select
          id={`${id}-sort`}
          value={filters.sort}
          onChange={(e) => onChange({ ...filters, sort: e.target.value as TaskSort })}
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {SORT_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
    </search>
  );
}
