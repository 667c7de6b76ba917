import { useVirtualizer } from "@tanstack/react-virtual";
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { Task } from "../../lib/trpc";
import { PRIORITY_LABELS, STATUS_LABELS } from "./filters";

export const ROW_HEIGHT = 52;
// Rows rendered beyond the viewport on each side: enough for a fast wheel
// flick to show content, few enough to keep the DOM small (a 720 px viewport
// shows ~14 rows, so at most ~30 are mounted).
const OVERSCAN = 8;
// Start fetching the next page this many rows before the end is reached.
const PREFETCH_ROWS = 20;

interface TaskListProps {
  tasks: Task[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  onOpen: (task: Task) => void;
  /** Absent for viewers: the list is then read-only. */
  onToggleDone?: ((task: Task) => void) | undefined;
  /** Present only when the user may reorder and the list is in manual (position) order. */
  onMove?: ((task: Task, toIndex: number) => void) | undefined;
  /** Tasks picked for a bulk action; absent for viewers (no multi-select then). */
  selected?: ReadonlySet<string> | undefined;
  onSelectedChange?: ((next: Set<string>) => void) | undefined;
  label: string;
  /** Id of an element describing the keyboard shortcuts. */
  describedBy?: string | undefined;
}

const rowId = (task: Task) => `task-row-${task.id}`;

/**
 * The project's tasks as a virtualised listbox: only the rows in view (plus
 * overscan) exist in the DOM, so 10 000 tasks scroll as smoothly as 10. Pages
 * load as the end comes near. Keyboard: arrows, Page Up/Down, Home/End move
 * the active row; Enter opens it; Space toggles done; Alt+Up/Down moves the
 * active task one place (when `onMove` is given). With `onSelectedChange` the
 * listbox is multi-select: Shift+Space picks the active task, Shift+Up/Down
 * extends the pick, a click on a row's check box toggles it (Shift: a range).
 */
export function TaskList({
  tasks,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  onOpen,
  onToggleDone,
  onMove,
  selected,
  onSelectedChange,
  label,
  describedBy,
}: TaskListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  // Where a Shift+click range starts: the last row toggled.
  const anchorRef = useRef(0);
  const count = tasks.length + (hasNextPage ? 1 : 0);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    getItemKey: (index) => tasks[index]?.id ?? "loader",
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= tasks.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, tasks.length, fetchNextPage]);

  // Filters can shrink the list under the active row.
  const activeIndex = Math.min(active, Math.max(0, tasks.length - 1));
  const activeTask = tasks[activeIndex];
  // Only point at a row that exists: after a mouse scroll the active one may be unmounted.
  const activeRendered = items.some((i) => i.index === activeIndex);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(index, tasks.length - 1));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  };

  const multi = Boolean(selected && onSelectedChange);
  const setPicked = (indexes: number[], pick: boolean) => {
    if (!selected || !onSelectedChange) return;
    const next = new Set(selected);
    for (const i of indexes) {
      const id = tasks[i]?.id;
      if (id) pick ? next.add(id) : next.delete(id);
    }
    onSelectedChange(next);
  };
  const togglePick = (index: number, range: boolean) => {
    const task = tasks[index];
    if (!task || !selected) return;
    const pick = !selected.has(task.id);
    if (range) {
      const [from, to] = [Math.min(anchorRef.current, index), Math.max(anchorRef.current, index)];
      setPicked(
        Array.from({ length: to - from + 1 }, (_, k) => from + k),
        true,
      );
    } else setPicked([index], pick);
    anchorRef.current = index;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (multi && event.shiftKey && (event.key === " " || event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      if (event.key === " ") {
        togglePick(activeIndex, false);
        return;
      }
      const to = Math.max(0, Math.min(activeIndex + (event.key === "ArrowUp" ? -1 : 1), tasks.length - 1));
      setPicked([activeIndex, to], true);
      anchorRef.current = to;
      moveTo(to);
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      const to = activeIndex + (event.key === "ArrowUp" ? -1 : 1);
      if (!activeTask || !onMove || to < 0 || to >= tasks.length) return;
      onMove(activeTask, to);
      moveTo(to);
      return;
    }
    switch (event.key) {
      case "ArrowDown":
        moveTo(activeIndex + 1);
        break;
      case "ArrowUp":
        moveTo(activeIndex - 1);
        break;
      case "PageDown":
        moveTo(activeIndex + page);
        break;
      case "PageUp":
        moveTo(activeIndex - page);
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(tasks.length - 1);
        break;
      case "Enter":
        if (activeTask) onOpen(activeTask);
        break;
      case " ":
        if (activeTask && onToggleDone) onToggleDone(activeTask);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="task-scroll"
      role="listbox"
      aria-label={label}
      aria-describedby={describedBy}
      aria-multiselectable={multi || undefined}
      aria-activedescendant={activeTask && activeRendered ? rowId(activeTask) : undefined}
      aria-busy={isFetchingNextPage}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="task-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const task = tasks[item.index];
          const transform = `translateY(${item.start}px)`;
          if (!task) {
            return (
              // biome-ignore lint/a11y/useFocusableInteractive: aria-activedescendant pattern, the listbox holds focus
              <div
                key={item.key}
                className="task-row loader"
                role="option"
                aria-selected={false}
                aria-disabled="true"
                style={{ transform }}
              >
                Loading more tasks…
              </div>
            );
          }
          const isActive = item.index === activeIndex;
          const isPicked = selected?.has(task.id) ?? false;
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox container handles the keyboard for every row
            // biome-ignore lint/a11y/useFocusableInteractive: aria-activedescendant pattern, the listbox holds focus
            <div
              key={item.key}
              id={rowId(task)}
              role="option"
              aria-selected={multi ? isPicked : isActive}
              aria-posinset={item.index + 1}
              aria-setsize={hasNextPage ? -1 : tasks.length}
              className={`task-row ${isActive ? "active" : ""} ${task.status === "done" ? "done" : ""}`}
              style={{ transform }}
              data-index={item.index}
              onClick={() => {
                setActive(item.index);
                onOpen(task);
              }}
            >
              {multi && (
                // The keyboard picks with Shift+Space on the listbox; the state is the option's aria-selected.
                <span
                  className={`task-check ${isPicked ? "checked" : ""}`}
                  aria-hidden="true"
                  onClick={(event) => {
                    event.stopPropagation();
                    setActive(item.index);
                    togglePick(item.index, event.shiftKey);
                  }}
                />
              )}
              <span className={`status-badge ${task.status}`}>{STATUS_LABELS[task.status]}</span>
              <span className="task-title">{task.title}</span>
              <span className={`priority ${task.priority}`}>{PRIORITY_LABELS[task.priority]}</span>
              {task.tags.length > 0 && <span className="tags">{task.tags.join(", ")}</span>}
              {task.dueDate && <span className="due">Due {task.dueDate}</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
}
