import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { DEFAULT_SETTINGS, readSettings, writeSetting, type Settings } from '../settings';
import { out, parse, workspacePath } from './args';

const LABEL: Record<keyof Settings, string> = {
  countyName: '县（区）名称（导出标题）', targetRate: '参保率目标', linkWeight: '自动归并的最低匹配权重', reviewWeight: '进入复核的最低匹配权重',
  employeeWins: '职工医保优先', residentKeep: '两条居民参保保留哪条（baseVillage 户籍地 / earliest 最早）', refundCancelledResident: '注销的居民参保退费',
  randomPairs: '估计参数用的随机记录对数',
};

/** canbao settings --workspace W [--set key=value]... [--json] */
export async function settingsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, set: { type: 'string', multiple: true }, json: { type: 'boolean' } });
  const ws = Workspace.open(workspacePath(values.workspace));
  try {
    for (const pair of (values.set as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      const key = pair.slice(0, eq) as keyof Settings;
      const raw = pair.slice(eq + 1);
      if (eq < 1 || !(key in DEFAULT_SETTINGS)) throw new CanbaoError('badInput', `无法识别的设置“${pair}”，可用：${Object.keys(DEFAULT_SETTINGS).join(', ')}`);
      const def = DEFAULT_SETTINGS[key];
      const value = typeof def === 'number' ? Number(raw) : typeof def === 'boolean' ? raw === 'true' : raw;
      if (typeof def === 'number' && !Number.isFinite(value)) throw new CanbaoError('badInput', `设置“${key}”应为数字`);
      if (key === 'residentKeep' && value !== 'baseVillage' && value !== 'earliest') throw new CanbaoError('badInput', 'residentKeep 应为 baseVillage 或 earliest');
      writeSetting(ws.db, key, value as never);
    }
    const s = readSettings(ws.db);
    if (values.json) out(JSON.stringify(s));
    else for (const k of Object.keys(s) as (keyof Settings)[]) out(`${k} = ${JSON.stringify(s[k])}    ${LABEL[k]}`);
    return 0;
  } finally {
    ws.close();
  }
}
