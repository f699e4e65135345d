// Where the plot sits on the heat-map canvas: margins for the latency labels (left) and the
// time axis with its health strip (bottom), in CSS px and in device px (CSS px x devicePixelRatio).

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MARGIN = { left: 76, right: 14, top: 10, bottom: 50 } as const;

export interface PlotGeometry {
  dpr: number;
  /** Canvas size in CSS px and in device px. */
  css: { width: number; height: number };
  device: { width: number; height: number };
  /** The plot area in CSS px and in whole device px. */
  plotCss: Rect;
  plotDevice: Rect;
}

export function plotGeometry(cssWidth: number, cssHeight: number, dpr: number): PlotGeometry {
  const device = {
    width: Math.max(1, Math.round(cssWidth * dpr)),
    height: Math.max(1, Math.round(cssHeight * dpr)),
  };
  const plotDevice = {
    x: Math.round(MARGIN.left * dpr),
    y: Math.round(MARGIN.top * dpr),
    width: Math.max(1, device.width - Math.round((MARGIN.left + MARGIN.right) * dpr)),
    height: Math.max(1, device.height - Math.round((MARGIN.top + MARGIN.bottom) * dpr)),
  };
  const plotCss = {
    x: plotDevice.x / dpr,
    y: plotDevice.y / dpr,
    width: plotDevice.width / dpr,
    height: plotDevice.height / dpr,
  };
  return { dpr, css: { width: cssWidth, height: cssHeight }, device, plotCss, plotDevice };
}

/** Sizes a canvas's backing store to device pixels, so lines and cells stay sharp on HiDPI. */
export function sizeCanvas(canvas: HTMLCanvasElement, g: PlotGeometry): void {
  if (canvas.width !== g.device.width) canvas.width = g.device.width;
  if (canvas.height !== g.device.height) canvas.height = g.device.height;
  canvas.style.width = `${g.css.width}px`;
  canvas.style.height = `${g.css.height}px`;
}
