import { useEffect, useRef } from "react";

/**
 * Sets the document title and, on client-side navigation, moves focus to the
 * page heading so screen-reader users hear where they landed (a SPA gives them
 * no page load to announce it).
 */
export function usePageTitle(title: string) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · TaskMaster Pro`;
    // On first load the browser owns focus; only route changes move it.
    if (document.activeElement && document.activeElement !== document.body) ref.current?.focus();
  }, [title]);
  return ref;
}
