// The topology webview in a real browser, for the tests: headless Chromium loads the built
// dist/webview.js, media/topology.css and the codicon font under the panel's own CSP, with a stand-in
// for VS Code's webview API that records what the webview posts and applies the Dark Modern theme.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { newNonce, topologyPanelHtml } from '../../client/src/topologyHtml';
import { type HostToWebview, type WebviewToHost } from '../../server/src/protocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';

/** VS Code sets these on <html>; these are the Dark Modern theme's values. */
const THEME: Record<string, string> = {
  'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  'font-size': '13px',
  'editor-font-family': 'monospace',
  foreground: '#cccccc',
  descriptionForeground: '#9d9d9d',
  'editor-background': '#1f1f1f',
  'sideBar-background': '#181818',
  'panel-border': '#2b2b2b',
  focusBorder: '#0078d4',
  errorForeground: '#f85149',
  'inputValidation-errorBackground': '#5a1d1d',
  'inputValidation-warningBackground': '#352a05',
  'editorWarning-foreground': '#cca700',
  'editorInfo-foreground': '#3794ff',
  'charts-foreground': '#cccccc',
  'charts-lines': 'rgba(204, 204, 204, 0.5)',
  'charts-blue': '#3794ff',
  'charts-yellow': '#cca700',
  'charts-green': '#89d185',
  'charts-purple': '#b180d7',
  'charts-orange': '#d18616',
  'charts-red': '#f14c4c',
  'button-secondaryForeground': '#cccccc',
  'button-secondaryBackground': '#313131',
  'button-secondaryHoverBackground': '#3c3c3c',
  'button-border': 'rgba(255, 255, 255, 0.07)',
  'dropdown-foreground': '#cccccc',
  'dropdown-background': '#313131',
  'dropdown-border': '#3c3c3c',
  'input-foreground': '#cccccc',
  'input-background': '#313131',
  'input-border': '#3c3c3c',
  'input-placeholderForeground': '#989898',
  'list-inactiveSelectionBackground': '#37373d',
  'textLink-foreground': '#4daafc',
  'editorHoverWidget-background': '#202020',
  'editorHoverWidget-foreground': '#cccccc',
  'editorHoverWidget-border': '#454545',
  'widget-shadow': 'rgba(0, 0, 0, 0.36)',
};

/** Stands in for the VS Code webview host: records messages, keeps state across reloads, sets theme colours. */
const HOST_STUB = `
(() => {
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = () => ({
    postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
    getState: () => JSON.parse(sessionStorage.getItem('podnet-state') || 'null'),
    setState: (state) => sessionStorage.setItem('podnet-state', JSON.stringify(state)),
  });
  const theme = ${JSON.stringify(THEME)};
  const apply = () => {
    for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty('--vscode-' + k, v);
  };
  if (document.documentElement) apply(); else document.addEventListener('DOMContentLoaded', apply);
})();
`;

// Functions passed to page.evaluate run in the page: they may use only their own arguments and globals.
// The tests compile without DOM types, so browser globals are reached through this cast.
export type Win = {
  __posted: WebviewToHost[];
  __violations: string[];
  pwned?: unknown;
  postMessage(message: unknown, targetOrigin: string): void;
  getComputedStyle(element: unknown): { strokeDasharray: string; fontStyle: string; fontSize: string };
  sessionStorage: { getItem(key: string): string | null };
  document: { fonts: { check(font: string): boolean; ready: Promise<unknown> } };
};

export interface Webview {
  page: Page;
  pageErrors: string[];
  post(message: HostToWebview): Promise<void>;
  posted(): Promise<WebviewToHost[]>;
  violations(): Promise<string[]>;
  /** The number of messages posted so far, to wait for the next ones. */
  mark(): Promise<number>;
  /** Waits until the webview has posted a message of `type` past index `since`; returns it. */
  waitFor<T extends WebviewToHost['type']>(type: T, since?: number): Promise<Extract<WebviewToHost, { type: T }>>;
  close(): Promise<void>;
}

export async function openWebview(viewport: { width: number; height: number }): Promise<Webview> {
  const files: Record<string, { type: string; file: string }> = {
    '/dist/webview.js': { type: 'text/javascript', file: 'dist/webview.js' },
    '/media/topology.css': { type: 'text/css', file: 'media/topology.css' },
    '/dist/codicons/codicon.css': { type: 'text/css', file: 'dist/codicons/codicon.css' },
    '/dist/codicons/codicon.ttf': { type: 'font/ttf', file: 'dist/codicons/codicon.ttf' },
  };
  let origin = '';
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const entry = files[url.pathname];
    const body =
      url.pathname === '/'
        ? Buffer.from(
            topologyPanelHtml({
              cspSource: origin,
              nonce: newNonce(),
              scriptUri: `${origin}/dist/webview.js`,
              styleUri: `${origin}/media/topology.css`,
              codiconUri: `${origin}/dist/codicons/codicon.css`,
            }),
          )
        : entry && fs.readFileSync(path.join(ROOT, entry.file));
    response.writeHead(body ? 200 : 404, {
      'content-type': url.pathname === '/' ? 'text/html' : (entry?.type ?? 'text/plain'),
    });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // No skipping: without Chromium these tests must fail, not pass silently.
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install it (apt-get install -y chromium)`);
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(HOST_STUB);
  await page.goto(origin);
  const posted = () => page.evaluate(() => (globalThis as unknown as Win).__posted);
  return {
    page,
    pageErrors,
    posted,
    violations: () => page.evaluate(() => (globalThis as unknown as Win).__violations),
    post: async (message) => {
      await page.evaluate((m) => (globalThis as unknown as Win).postMessage(m, '*'), message);
    },
    mark: async () => (await posted()).length,
    waitFor: async (type, since = 0) => {
      const handle = await page.waitForFunction(
        ([t, s]) =>
          (globalThis as unknown as Win).__posted
            .slice(s as number)
            .filter((m) => m.type === t)
            .pop(),
        [type, since] as const,
        { timeout: 5000 },
      );
      return (await handle.jsonValue()) as never;
    },
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What is drawn in the page: every SVG text with its rendered font size (px on screen, zoom included)
 * and its box on screen, relative to the canvas.
 */
export async function drawnTexts(
  page: Page,
): Promise<Array<{ text: string; size: number; left: number; top: number; right: number; bottom: number }>> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    type El = {
      textContent: string | null;
      getBoundingClientRect(): { left: number; top: number; right: number; bottom: number };
      getScreenCTM(): { a: number } | null;
    };
    const canvas = doc.querySelector('.canvas') as El;
    const area = canvas.getBoundingClientRect();
    const all = (doc as unknown as { querySelectorAll(s: string): El[] }).querySelectorAll(
      'svg text:not(.codicon-glyph)',
    );
    return [...all].map((text) => {
      const style = (globalThis as unknown as Win).getComputedStyle(text);
      const box = text.getBoundingClientRect();
      return {
        text: text.textContent ?? '',
        size: parseFloat(style.fontSize) * (text.getScreenCTM()?.a ?? 1),
        left: box.left - area.left,
        top: box.top - area.top,
        right: box.right - area.left,
        bottom: box.bottom - area.top,
      };
    });
  });
}
