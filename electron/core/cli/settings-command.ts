import {
  SETTING_KEYS,
  SETTING_LABEL,
  settingValueKind,
  type SettingKey,
  type SettingsPatch,
} from '../../../shared/domain/settings';
import { CanbaoError } from '../errors';
import { out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';

/** key=value as typed, converted to the setting's kind only (a list: a,b,c); bounds are the request schema's. */
function parsePatch(pairs: string[]): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1)
      throw new CanbaoError('badInput', `设置应写成 名称=值，如 targetRate=0.95；可用：${SETTING_KEYS.join(', ')}`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const kind = (SETTING_KEYS as string[]).includes(key) ? settingValueKind(key as SettingKey) : 'string';
    patch[key] =
      kind === 'number'
        ? raw === ''
          ? Number.NaN
          : Number(raw)
        : kind === 'boolean'
          ? raw === 'true'
            ? true
            : raw === 'false'
              ? false
              : raw
          : kind === 'list'
            ? raw
                .split(/[,，、]/)
                .map((v) => v.trim())
                .filter(Boolean)
            : raw;
  }
  return patch as SettingsPatch;
}

/** canbao settings --workspace W [--set key=value]... [--by 姓名] [--json] */
export async function settingsCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    set: { type: 'string', multiple: true },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  const patch = parsePatch((values.set as string[] | undefined) ?? []);
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const s = Object.keys(patch).length
      ? await engine.call('settings.set', patch)
      : await engine.call('settings.get', {});
    if (values.json) out(JSON.stringify(s));
    else for (const k of SETTING_KEYS) out(`${k} = ${JSON.stringify(s[k])}    ${SETTING_LABEL[k]}`);
    return 0;
  });
}
