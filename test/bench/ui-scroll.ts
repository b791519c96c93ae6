/// <reference lib="dom" />
/**
 * UI benchmark: the 全部人员 list of a matched bench workspace (1,000,000 people) in the real UI in Chromium, scrolled
 * steadily with a few long jumps; reports frame times. Needs `npm run bench -- --only import,match` first.
 */
import { execFileSync } from 'node:child_process';
import { startHarness } from '../e2e/harness';
import { launchChromium } from '../helpers/browser';

export async function measureScroll(
  workspace: string,
  screenshot: string,
): Promise<{ rows: number; frames: number; median: number; p95: number; max: number }> {
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], {
    stdio: 'inherit',
  });
  const h = await startHarness({ rendererDir: 'out/renderer', dataDir: `${workspace}-ui` });
  const b = await launchChromium();
  try {
    const p = await b.newPage({ viewport: { width: 1280, height: 720 } });
    await p.goto(h.url);
    await p.getByTestId('workspace-path').fill(workspace);
    await p.getByRole('button', { name: '打 开' }).click();
    await p.getByText('已导入的名册').waitFor();
    await p.getByRole('menuitem', { name: /^结果/ }).click();
    await p.getByRole('tab', { name: '全部人员' }).click();
    const total = p.getByTestId('list-total');
    await total.filter({ hasText: /共 [1-9]/ }).waitFor({ timeout: 60_000 });
    const rows = Number((await total.textContent())!.replace(/[^\d]/g, ''));
    const f = await p.evaluate(async () => {
      const box = document.querySelector('[data-testid="virtual-table"] > div:nth-child(2)') as HTMLDivElement;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 240; i++) {
        box.scrollTop += i % 60 === 59 ? box.scrollHeight / 4 : 1200;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      times.sort((a, b) => a - b);
      return {
        frames: times.length,
        median: times[times.length >> 1]!,
        p95: times[Math.floor(times.length * 0.95)]!,
        max: times[times.length - 1]!,
      };
    });
    await p.waitForTimeout(800);
    await p.screenshot({ path: screenshot });
    return { rows, ...f };
  } finally {
    await b.close();
    await h.close();
  }
}
