/**
 * Debian's Chromium for browser tests and the scroll benchmark (never a downloaded browser), with the flags that
 * keep it offline and quiet, and the token check every browser-served Canbao must pass.
 */
import { chromium, type Browser } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  });
}

/** The HTTP status of an API call to a browser-served Canbao at `origin`, with the given token or none. */
export async function apiStatus(origin: string, token?: string): Promise<number> {
  const res = await fetch(`${origin}/api/workspace.status`, {
    method: 'POST',
    headers: token ? { 'x-canbao-token': token } : {},
    body: '{}',
  });
  await res.body?.cancel();
  return res.status;
}
