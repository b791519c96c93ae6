import { resolve, sep } from 'node:path';

/** The only origin the app's own pages load from (a custom protocol, never file:// or http://). */
export const APP_ORIGIN = 'app://canbao';

/** IPC is answered only for the app's own top-level page: not for other frames, other origins or navigated pages. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const u = new URL(frameUrl);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * The one navigation the page may make: to its own index page, which is what 重新载入 (location.reload() on the error
 * page) asks for. Any other navigation is refused (Electron's checklist: limit navigation).
 */
export function isAppPage(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN && (u.pathname === '/' || u.pathname === '/index.html');
  } catch {
    return false;
  }
}

/** Maps an app:// URL to a file inside the renderer folder; null for anything outside it (path traversal). */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN) return null;
  const rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname);
  const root = resolve(rendererDir);
  const file = resolve(root, '.' + rel);
  return file === root || file.startsWith(root + sep) ? file : null;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
