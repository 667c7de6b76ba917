/** A project's colour as an SVG fill: no inline style attribute, so nothing for the CSP to block. */
export function ColorDot({ color }: { color: string }) {
  return (
    <svg className="color-dot" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      <circle cx={5} cy={5} r={5} fill={color} />
    </svg>
  );
}
