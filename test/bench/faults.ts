/**
 * npm run bench -- --only faults [--kills 50]: issue 9's long fault run. Each trial kills the CLI (SIGKILL, like a
 * power cut of the process) at a seeded random moment of an import, a match or an export on a small county, then
 * checks the workspace and the export folder; npm test runs the same trials at small n (test/faults/).
 */
import { exportKillTrials } from '../faults/export-kills';
import { importKillTrials, matchKillTrials, type KillReport } from '../faults/import-match-kills';

export async function measureFaults(kills: number, seed: number): Promise<void> {
  process.stdout.write(`\n故障注入：每项 ${kills} 次随机时刻强行结束（seed ${seed}）\n`);
  const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    const t0 = performance.now();
    const r = await run();
    return [r, (performance.now() - t0) / 1000];
  };
  const say = (label: string, r: KillReport, s: number) => {
    process.stdout.write(
      `  ${label.padEnd(8)} trials ${r.trials}  kills ${r.kills}  trials with a problem ${r.problems.length}  rows lost ${r.rowsLost}  partial states ${r.partialStates}  (${s.toFixed(0)} s)\n`,
    );
    for (const p of r.problems.slice(0, 5)) process.stdout.write(`    ${p}\n`);
  };
  const [imp, si] = await timed(() => importKillTrials(kills, seed));
  say('import', imp, si);
  const [mat, sm] = await timed(() => matchKillTrials(kills, seed + 1));
  say('match', mat, sm);
  const [exp, se] = await timed(() => exportKillTrials(kills, seed + 2));
  process.stdout.write(
    `  ${'export'.padEnd(8)} trials ${exp.trials}  kills ${exp.kills}  files checked ${exp.filesChecked}  partial files under a final name ${exp.partialFiles.length}  staging left after the next export ${exp.stagingLeftAfterNextExport}  (${se.toFixed(0)} s)\n`,
  );
  for (const f of exp.partialFiles.slice(0, 5)) process.stdout.write(`    ${f}\n`);
  const enough = imp.kills >= kills && mat.kills >= kills && exp.kills >= kills;
  const ok =
    enough &&
    imp.problems.length + mat.problems.length + exp.partialFiles.length + exp.stagingLeftAfterNextExport === 0 &&
    imp.rowsLost + mat.rowsLost === 0;
  process.stdout.write(`  ${ok ? '全部通过：0 行丢失，0 个半途状态' : '有未通过的试验，见上'}\n`);
  if (!ok) process.exitCode = 1;
}
