import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/repo-root';
import { PNG } from 'pngjs';

/**
 * Draws the Teams app icons (a speech bubble with three dots): the 192×192 colour icon and the
 * 32×32 outline icon, which Teams requires to be white on a transparent background.
 * `npm run icons:teams` rewrites deployment/teams/color.png and outline.png.
 */
type Rgba = [number, number, number, number];

const BRAND: Rgba = [0x1f, 0x5a, 0xa6, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

function canvas(size: number, fill: Rgba): PNG {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.set(fill, i * 4);
  return png;
}

function paint(png: PNG, inside: (x: number, y: number) => boolean, color: Rgba): void {
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) if (inside(x + 0.5, y + 0.5)) png.data.set(color, (y * png.width + x) * 4);
  }
}

/** A rounded rectangle (the bubble body) plus a small tail at the lower left, in unit coordinates. */
function inBubble(u: number, v: number, inset = 0): boolean {
  const left = 0.18 + inset,
    right = 0.82 - inset,
    top = 0.22 + inset,
    bottom = 0.66 - inset,
    r = 0.1;
  const cx = Math.min(Math.max(u, left + r), right - r);
  const cy = Math.min(Math.max(v, top + r), bottom - r);
  const body = u >= left && u <= right && v >= top && v <= bottom && (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
  const tail = inset === 0 && v > bottom - 0.01 && v < 0.8 && u > 0.3 && u < 0.3 + (0.8 - v) * 1.2;
  return body || tail;
}

function inDot(u: number, v: number, radius: number): boolean {
  return [0.36, 0.5, 0.64].some((cx) => (u - cx) ** 2 + (v - 0.44) ** 2 <= radius * radius);
}

export function drawColorIcon(size = 192): PNG {
  const png = canvas(size, BRAND);
  paint(png, (x, y) => inBubble(x / size, y / size), WHITE);
  paint(png, (x, y) => inDot(x / size, y / size, 0.045), BRAND);
  return png;
}

export function drawOutlineIcon(size = 32): PNG {
  const png = canvas(size, CLEAR);
  const stroke = 1.6 / size;
  paint(png, (x, y) => inBubble(x / size, y / size) && !inBubble(x / size, y / size, stroke), WHITE);
  paint(png, (x, y) => inDot(x / size, y / size, 0.05), WHITE);
  return png;
}

export function writeTeamsIcons(dir: string): string[] {
  const files = [path.join(dir, 'color.png'), path.join(dir, 'outline.png')];
  fs.writeFileSync(files[0], PNG.sync.write(drawColorIcon()));
  fs.writeFileSync(files[1], PNG.sync.write(drawOutlineIcon()));
  return files;
}

if (require.main === module) {
  const dir = path.join(repoRoot(), 'deployment', 'teams');
  for (const file of writeTeamsIcons(dir)) process.stdout.write(`${file}\n`);
}
