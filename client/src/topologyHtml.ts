// The topology panel's HTML: an empty page that loads one bundled script and two stylesheets (the panel's
// and the codicon font's) under a strict Content Security Policy. Pure (no vscode import) so tests can
// check the policy directly.
import { randomBytes } from 'crypto';

export interface TopologyHtmlOptions {
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  cspSource: string;
  /** Fresh for every page; only the script carrying it may run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  /** The codicon font's stylesheet (dist/codicons/codicon.css), which loads the font beside it. */
  codiconUri: string;
}

/** 128 random bits as base64, the form CSP nonces take. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  // No 'unsafe-inline' and no 'unsafe-eval': styles come only from the stylesheet, scripts only from the bundle.
  return (
    `default-src 'none'; img-src ${cspSource} data:; style-src ${cspSource}; font-src ${cspSource}; script-src ` +
    `'nonce-${nonce}';`
  );
}

/** For double-quoted attribute values (the CSP keeps its single quotes readable). */
const escapeAttribute = (text: string) =>
  text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] as string);

export function topologyPanelHtml(options: TopologyHtmlOptions): string {
  const csp = escapeAttribute(contentSecurityPolicy(options.cspSource, options.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.codiconUri)}">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>Pod network topology</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}
