import { type ReactNode, useEffect, useId, useRef } from "react";

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class for sizing. */
  className?: string;
}

/**
 * A modal built on the native <dialog>: `showModal()` makes the rest of the
 * page inert (focus stays inside), Escape closes it, and focus returns to
 * whatever opened it when it closes.
 */
export function Dialog({ title, onClose, children, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // Land on the first field rather than the close button: that's where the work is.
    dialog.querySelector<HTMLElement>("[data-autofocus], input, select, textarea")?.focus();
    const handleCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener("cancel", handleCancel);
    return () => {
      dialog.removeEventListener("cancel", handleCancel);
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={titleId} className={`dialog ${className ?? ""}`}>
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button ghost" onClick={() => onCloseRef.current()} aria-label="Close dialog">
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
