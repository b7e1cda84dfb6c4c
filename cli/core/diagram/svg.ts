import type { Diagram } from "./graph";
import { legendDot } from "./legend";
import { FONT, FONT_STACK } from "./look";
import { toDot } from "./dot";

/** Graphviz (its WebAssembly build, @viz-js/viz): the same DOT gives the same SVG on every machine. */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  return (await instance()).renderString(dot, { format: "svg", engine: "dot" });
}

/** The size Graphviz gives an SVG (its viewBox, in points) and what it draws (its outer group). */
function partsOf(svg: string, idPrefix: string): { width: number; height: number; body: string; head: string } {
  const box = svg.match(/viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"/);
  const start = svg.indexOf('<g id="graph0"');
  const end = svg.lastIndexOf("</svg>");
  if (!box || start < 0 || end < start) throw new Error("not an SVG Graphviz wrote");
  const body = svg.slice(start, end).trimEnd().replace(/ id="/g, ` id="${idPrefix}`);
  return { width: Number(box[1]), height: Number(box[2]), body, head: svg.slice(0, svg.indexOf("<svg")) };
}

/**
 * The picture as SVG: the diagram with its legend underneath, in one drawing, the legend's ids kept
 * apart from the diagram's. Text names a stack of fonts, Verdana first, whose widths the shapes fit.
 */
export async function toSvg(diagram: Diagram, title: string): Promise<string> {
  const main = partsOf(await renderSvg(toDot(diagram, title)), "");
  const legend = partsOf(await renderSvg(legendDot(diagram)), "legend_");
  const width = Math.max(main.width, legend.width);
  const height = main.height + legend.height;
  const box = `${width.toFixed(2)} ${height.toFixed(2)}`;
  return [
    main.head.trimEnd(),
    `<svg width="${width.toFixed(0)}pt" height="${height.toFixed(0)}pt" viewBox="0.00 0.00 ${box}" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">`,
    main.body,
    `<g transform="translate(0 ${main.height.toFixed(2)})">`,
    legend.body,
    "</g>",
    "</svg>",
    "",
  ]
    .join("\n")
    .replaceAll(`font-family="${FONT}"`, `font-family="${FONT_STACK}"`);
}
