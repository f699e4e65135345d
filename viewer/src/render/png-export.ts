// Export of the current view as a PNG: the heat-map canvas as drawn, with a caption (file and
// time span) and the colour legend painted under it, so the image explains itself.

import type { ColourScale } from '../model/colour-scale.js';
import { legendTicks } from '../model/colour-scale.js';
import { palette, type PaletteName } from './palette.js';

export interface ExportCaption {
  title: string;
  scale: ColourScale;
  palette: PaletteName;
  /** How legend values read: counts or shares. */
  formatValue: (v: number) => string;
}

const FOOTER_CSS_PX = 44;

/** The heat map with caption and legend, as a PNG blob. */
export async function exportPng(
  source: HTMLCanvasElement,
  dpr: number,
  caption: ExportCaption,
): Promise<Blob> {
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height + Math.round(FOOTER_CSS_PX * dpr);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(source, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawFooter(ctx, source.height / dpr, source.width / dpr, caption);
  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

function drawFooter(
  ctx: CanvasRenderingContext2D,
  top: number,
  width: number,
  c: ExportCaption,
): void {
  const css = palette(c.palette).css;
  const x0 = 76;
  const barWidth = Math.min(260, width / 3);
  for (let i = 0; i < barWidth; i++) {
    ctx.fillStyle = css[Math.round((i / (barWidth - 1)) * 255)]!;
    ctx.fillRect(x0 + i, top + 8, 1, 10);
  }
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#333';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of legendTicks(c.scale, 5, 0.16))
    ctx.fillText(c.formatValue(t.value), x0 + t.position * (barWidth - 1), top + 21);
  ctx.textAlign = 'left';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(c.title, x0 + barWidth + 24, top + 8);
}

/** Saves a blob under a file name through a temporary link. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
