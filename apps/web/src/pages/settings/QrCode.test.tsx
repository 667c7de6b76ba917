import { cleanup, render, screen } from "@testing-library/react";
import jsQR from "jsqr";
import { create } from "qrcode";
import { afterEach, expect, test } from "vitest";
import { QrCode, QUIET_ZONE } from "./QrCode";

afterEach(cleanup);

// Shaped like the API's enrolment link (otplib's generateURI), with a long label for a bigger symbol.
const otpauthUrl =
  "otpauth://totp/TaskMaster%20Pro:ada.lovelace%2Bmfa%40example.com?secret=VSLS5LXNIO7E63QYZZXJJGN3OQ5AJF77&issuer=TaskMaster%20Pro";
const label = "QR code for your authenticator app";
const PX = 4; // raster pixels per module

/** The SVG's geometry in module units, exactly as rendered into the DOM. */
function readSvg(svg: Element) {
  const [minX, minY, w, h] = (svg.getAttribute("viewBox") ?? "").split(" ").map(Number);
  expect([minX, minY]).toEqual([0, 0]);
  expect(w).toBe(h);
  const rects = [...svg.querySelectorAll("rect")].map((r) => {
    const n = (name: string) => Number(r.getAttribute(name));
    const rect = { x: n("x"), y: n("y"), width: n("width"), height: n("height"), fill: r.getAttribute("fill") };
    for (const v of [rect.x, rect.y, rect.width, rect.height]) expect(Number.isInteger(v)).toBe(true);
    expect(["#fff", "#000"]).toContain(rect.fill);
    return rect;
  });
  expect(svg.querySelectorAll("*").length).toBe(rects.length); // nothing drawn but rects
  return { extent: w as number, rects };
}

/** Paints the rects in document order onto a white RGBA canvas, PX pixels per module. */
function rasterise(extent: number, rects: ReturnType<typeof readSvg>["rects"]) {
  const width = extent * PX;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const r of rects) {
    const v = r.fill === "#000" ? 0 : 255;
    for (let py = r.y * PX; py < (r.y + r.height) * PX; py++) {
      for (let px = r.x * PX; px < (r.x + r.width) * PX; px++) {
        const i = (py * width + px) * 4;
        data[i] = data[i + 1] = data[i + 2] = v;
      }
    }
  }
  return { data, width };
}

/** Which modules of the rendered image are dark, sampled at module centres. */
function darkModules(extent: number, raster: { data: Uint8ClampedArray; width: number }) {
  const grid: boolean[][] = [];
  for (let row = 0; row < extent; row++) {
    grid.push([]);
    for (let col = 0; col < extent; col++) {
      const i = ((row * PX + PX / 2) * raster.width + col * PX + PX / 2) * 4;
      grid[row]?.push(raster.data[i] === 0);
    }
  }
  return grid;
}

test("renders a QR code that a decoder reads back as the exact otpauth URL", () => {
  render(<QrCode text={otpauthUrl} label={label} />);
  const svg = screen.getByRole("img", { name: label });
  const { extent, rects } = readSvg(svg);
  const { data, width } = rasterise(extent, rects);

  const decoded = jsQR(data, width, width, { inversionAttempts: "dontInvert" });
  expect(decoded?.data).toBe(otpauthUrl);
});

test("draws qrcode's module matrix module for module, inside a 4-module quiet zone", () => {
  render(<QrCode text={otpauthUrl} label={label} scale={5} />);
  const svg = screen.getByRole("img", { name: label });
  const { extent, rects } = readSvg(svg);
  const { modules } = create(otpauthUrl, { errorCorrectionLevel: "M" });
  expect(extent).toBe(modules.size + 2 * QUIET_ZONE);
  expect(svg.getAttribute("width")).toBe(String(extent * 5));

  // A decoder's error correction would hide a few wrong modules; this comparison does not.
  const grid = darkModules(extent, rasterise(extent, rects));
  for (let row = 0; row < extent; row++) {
    for (let col = 0; col < extent; col++) {
      const inSymbol = [row, col].every((v) => v >= QUIET_ZONE && v < QUIET_ZONE + modules.size);
      const expected = inSymbol && modules.get(row - QUIET_ZONE, col - QUIET_ZONE) === 1;
      if (grid[row]?.[col] !== expected)
        expect.fail(`module (${row}, ${col}) should be ${expected ? "dark" : "light"}`);
    }
  }
});
