import { create } from "qrcode";
import { useMemo } from "react";

/** Light modules the QR spec requires around the symbol so scanners find its edges. */
export const QUIET_ZONE = 4;

interface Run {
  row: number;
  col: number;
  length: number;
}

/** Dark modules as horizontal runs (one `<rect>` per run, not per module), in symbol coordinates. */
function darkRuns(text: string): { size: number; runs: Run[] } {
  const { modules } = create(text, { errorCorrectionLevel: "M" });
  const runs: Run[] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col) === 1;
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        runs.push({ row, col: start, length: col - start });
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}

interface QrCodeProps {
  text: string;
  /** Accessible name of the image. */
  label: string;
  /** CSS pixels per module. */
  scale?: number;
}

/**
 * A QR code as inline SVG: `qrcode` only computes the module matrix; the drawing is plain
 * `<rect>`s with presentation attributes, so it needs no data: URL, canvas, innerHTML or
 * inline style under the app's CSP. Dark on white whatever the theme, as scanners expect.
 */
export function QrCode({ text, label, scale = 4 }: QrCodeProps) {
  const { size, runs } = useMemo(() => darkRuns(text), [text]);
  const extent = size + 2 * QUIET_ZONE;
  return (
    <svg
      role="img"
      aria-label={label}
      className="qr-code"
      width={extent * scale}
      height={extent * scale}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
    >
      <rect x={0} y={0} width={extent} height={extent} fill="#fff" />
      {runs.map((r) => (
        <rect
          key={`${r.row}:${r.col}`}
          x={r.col + QUIET_ZONE}
          y={r.row + QUIET_ZONE}
          width={r.length}
          height={1}
          fill="#000"
        />
      ))}
    </svg>
  );
}
