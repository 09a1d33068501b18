// Debian's Chromium driven by playwright-core (no browser download), with the flags that keep it off
// the network on these machines.
import { type Browser, chromium } from 'playwright-core';
import * as fs from 'fs';

export const CHROMIUM = process.env.PODNET_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: run bash scripts/install-e2e-deps.sh`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
