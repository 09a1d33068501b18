// Serialises a scene, with a packet path over it, as standalone SVG text (CLI `--format svg`, the
// panel's "Export SVG") and as one self-contained HTML page (CLI `--format html`). It draws exactly the
// primitives the webview draws; only icons differ (the webview has the codicon font, a file has not).
// Every manifest string is XML-escaped.
import { type PathOverlay, arrowHead } from './pathOverlay';
import { BOX_TEXT, type Scene, type SceneBox, type SceneElement, type SceneIcon } from './scene';
import { toolOutput, TOOL_VIEWS } from './tools';
import { type Topology } from './types';

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );
}

/** Colours for standalone files; the webview uses the editor theme's variables instead. */
export const STANDALONE_STYLE = `
svg { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 11px; background: #fff; }
text { fill: #1f2328; stroke: none; font-size: 11px; }
text.bold { font-weight: 600; font-size: 12px; }
.title text.bold { font-size: 14px; }
.title > rect { fill: none; stroke: none; }
.node > rect { fill: #f6f8fa; stroke: #8c959f; }
.node-broken > rect { stroke: #cf222e; stroke-dasharray: 6 3; }
.pod > rect { fill: #ddf4ff; stroke: #0969da; }
.pod-host-network > rect { fill: #f6f8fa; stroke: #57606a; }
.pod-group > rect { fill: #eaeef2; stroke: #8c959f; stroke-dasharray: 4 3; }
.device > rect { fill: #ffffff; stroke: #57606a; }
.device-bridge > rect, .routing > rect { fill: #dafbe1; stroke: #1a7f37; }
.bridge-bar > rect { fill: #1a7f37; }
.device-vxlan > rect, .device-wireguard > rect, .device-ipip > rect,
.device-tun > rect { fill: #fbefff; stroke: #8250df; }
.device-nic > rect { fill: #fff1e5; stroke: #bc4c00; }
.problem > rect, .banner > rect { fill: #ffebe9; stroke: #cf222e; }
.unplaced > rect { fill: #fff8c5; stroke: #9a6700; }
.empty-state > rect { fill: #ddf4ff; stroke: #0969da; }
.certainty-inferred > rect, .certainty-placeholder > rect { stroke-dasharray: 5 3; }
.certainty-placeholder text { font-style: italic; }
.link { stroke: #57606a; stroke-width: 1.5; fill: none; }
.guide { stroke: none; fill: none; }
.wire { stroke: #bc4c00; stroke-width: 4; fill: none; }
.tunnel-lane, .tunnel-link { stroke: #8250df; stroke-width: 2; stroke-dasharray: 7 4; fill: none; }
.tray-heading { font-weight: 600; font-size: 12px; }
.lane-label, .path-label { paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.tunnel-label { fill: #8250df; }
.wire-label { fill: #bc4c00; }
.icon-error { fill: #cf222e; } .icon-warning { fill: #9a6700; } .icon-info { fill: #0969da; }
.icon text { fill: #fff; font-weight: 700; font-size: 11px; }
.on-path > rect { stroke: #0550ae; stroke-width: 2.5; }
.current > rect { stroke: #0550ae; stroke-width: 3.5; fill: #ddf4ff; }
.path-link, .path-tunnel { stroke: #0550ae; stroke-width: 3; fill: none; }
.path-tunnel { stroke-dasharray: 8 4; }
.arrowhead { fill: #0550ae; stroke: none; }
.ahead { opacity: 0.35; }
.hop-badge circle { fill: #0550ae; }
.hop-badge text { fill: #fff; font-weight: 700; font-size: 11px; }
`;

function iconSvg(icon: SceneIcon, x: number, y: number): string {
  const mark = { error: '!', warning: '!', info: 'i' }[icon];
  return (
    `<g class="icon icon-${icon}"><circle cx="${x + 7}" cy="${y + 12}" r="7" class="icon-${icon}"/>` +
    `<text x="${x + 7}" y="${y + 16}" text-anchor="middle">${mark}</text></g>`
  );
}

function boxSvg(box: SceneBox, overlay: PathOverlay | undefined): string {
  const state = overlay?.current.has(box.ref.id)
    ? ['on-path', 'current']
    : overlay?.onPath.has(box.ref.id)
      ? ['on-path']
      : [];
  const classes = ['box', ...box.classes, ...state].join(' ');
  const indent = box.icon ? BOX_TEXT.iconWidth : 0;
  const text = box.lines
    .map((line, i) => {
      const x = box.x + BOX_TEXT.paddingX + indent;
      const y = box.y + BOX_TEXT.firstBaseline + i * BOX_TEXT.lineStep;
      return `<text x="${x}" y="${y}"${i === 0 ? ' class="bold"' : ''}>${escapeXml(line)}</text>`;
    })
    .join('');
  const icon = box.icon ? iconSvg(box.icon, box.x + BOX_TEXT.paddingX - 2, box.y + 2) : '';
  return (
    `<g class="${escapeXml(classes)}" data-ref="${escapeXml(box.ref.kind)}:${escapeXml(box.ref.id)}">` +
    `<title>${escapeXml(box.tooltip.join('\n'))}</title>` +
    `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="4"/>${icon}${text}</g>`
  );
}

const pointsOf = (points: ReadonlyArray<readonly [number, number]>) => points.map(([x, y]) => `${x},${y}`).join(' ');

function elementSvg(element: SceneElement, overlay: PathOverlay | undefined): string {
  switch (element.type) {
    case 'box':
      return boxSvg(element, overlay);
    case 'line': {
      const classes = element.classes.join(' ');
      const head = element.arrow
        ? `<polygon class="arrowhead ${escapeXml(classes)}" points="${pointsOf(arrowHead(element.points))}"/>`
        : '';
      return `<polyline class="${escapeXml(classes)}" points="${pointsOf(element.points)}"/>${head}`;
    }
    case 'label':
      return (
        `<text class="${escapeXml(element.classes.join(' '))}" x="${element.x}" y="${element.y}"` +
        `${element.anchor && element.anchor !== 'start' ? ` text-anchor="${element.anchor}"` : ''}>` +
        `${escapeXml(element.text)}</text>`
      );
    case 'badge':
      return (
        `<g class="${escapeXml(element.classes.join(' '))}"><circle cx="${element.x}" cy="${element.y}" r="9"/>` +
        `<text x="${element.x}" y="${element.y + 4}" text-anchor="middle">${escapeXml(element.text)}</text></g>`
      );
  }
}

export function sceneToSvg(scene: Scene, overlay?: PathOverlay, withStyle = true): string {
  const body = [...scene.elements, ...(overlay?.elements ?? [])].map((e) => elementSvg(e, overlay)).join('\n');
  const style = withStyle ? `<style>${STANDALONE_STYLE}</style>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 ` +
    `0 ${scene.width} ${scene.height}" role="img" aria-label="Pod network topology">${style}\n${body}\n</svg>\n`
  );
}

export function topologyHtml(topologies: Array<{ topology: Topology; scene: Scene }>): string {
  const sections = topologies
    .map(({ topology, scene }) => {
      const nodes = topology.nodes
        .map(
          (node) =>
            `<details><summary>${escapeXml(node.name)}: predicted tool output</summary>${TOOL_VIEWS.map(
              (view) => `<pre>${escapeXml(toolOutput(topology, node, view))}</pre>`,
            ).join('')}</details>`,
        )
        .join('\n');
      return `<section><h2>${escapeXml(topology.cluster.name)}</h2>
<ul>${topology.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>
${sceneToSvg(scene, undefined, false)}
${nodes}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Pod network topology</title>
<style>body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 16px; color: #1f2328; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; } section { margin-bottom: 32px; }
${STANDALONE_STYLE}</style></head>
<body><h1>Pod network topology</h1>
<p>Generated by Podnet from the manifests. Dashed outlines mark inferred values;
&lt;…&gt; marks values the manifests cannot tell.</p>
${sections}
</body></html>
`;
}
