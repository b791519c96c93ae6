import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { RATE_BASIS_LABEL } from '../../../shared/domain/participation';
import { SETTING_LABEL, type Settings } from '../../../shared/domain/settings';
import { ID_STATUS_LABEL, ID_STATUSES } from '../../../shared/domain/types';
import { EngineError } from '../../../shared/ipc/errors';
import { api, call, errorMessage, hasSystemDialogs } from '../api';
import { formatCount } from '../../../shared/text/clerk-format';
import { usePasswordDialog } from '../components/password-dialog';
import { useStatus } from '../state';
import { BackupCard } from './backup-card';
import { ContinuitySettingsGroup } from './continuity-settings';
import { RollsTable } from './rolls-table';

export function WorkspacePage() {
  const { status, refresh } = useStatus();
  const { message } = App.useApp();
  const [path, setPath] = useState('');
  const [recent, setRecent] = useState<string[]>([]);
  const [county, setCounty] = useState('');
  const [target, setTarget] = useState(95);
  const [rules, setRules] = useState<Settings | null>(null);
  const [saved, setSaved] = useState<Settings | null>(null);
  const show = (s: Settings) => {
    setCounty(s.countyName);
    setTarget(Math.round(s.targetRate * 1000) / 10);
    setRules(s);
    setSaved(s);
  };
  useEffect(() => {
    if (!status?.path) return;
    void call('settings.get', {}).then(show);
  }, [status?.path]);
  // All the settings, checked by the engine against the same bounds as `canbao settings --set`.
  const saveSettings = async () => {
    try {
      const { countyName: _c, targetRate: _t, exemptGroups, ...match } = rules ?? {};
      // A list is a new object each time: sent only when changed, so saving changes nothing in the log otherwise.
      const groups = exemptGroups && exemptGroups.join() !== saved?.exemptGroups.join() ? { exemptGroups } : {};
      show(await call('settings.set', { ...match, ...groups, countyName: county, targetRate: target / 100 }));
      message.success('设置已保存');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const rule = <K extends keyof Settings>(k: K, v: Settings[K] | null) =>
    v !== null && rules && setRules({ ...rules, [k]: v });
  useEffect(() => {
    void call('workspace.recent', {}).then((r) => setRecent(r.paths));
  }, [status?.path]);
  const passwords = usePasswordDialog();
  const [encryptNew, setEncryptNew] = useState(false);
  // An encrypted workspace answers workspacePassword: the clerk is asked, and asked again while the password is wrong.
  const open = async (p: string, create: boolean) => {
    let password: string | undefined;
    if (create && encryptNew) {
      const a = await passwords.ask({ title: '为新工作区设置密码', isNew: true });
      if (!a) return;
      password = a.password;
    }
    for (;;) {
      try {
        await call('workspace.open', { path: p, create, password });
        await refresh();
        message.success(create ? '工作区已就绪' : '已打开工作区');
        return;
      } catch (e) {
        if (!(e instanceof EngineError && e.kind === 'workspacePassword')) {
          message.error(errorMessage(e));
          return;
        }
        const a = await passwords.ask({
          title: '工作区已加密，请输入密码',
          problem: password === undefined ? undefined : e.message,
        });
        if (!a) return;
        password = a.password;
      }
    }
  };
  // Electron: the system dialog (a .canbao file to open, or where to save a new one); cancelled is no answer.
  const choose = async (mode: 'open' | 'create') => {
    const picked = await api.chooseWorkspace(mode);
    if (picked) await open(picked, mode === 'create');
  };
  const setPassword = async () => {
    const a = await passwords.ask({
      title: status?.encrypted ? '修改工作区密码' : '加密工作区',
      isNew: true,
      askCurrent: status?.encrypted,
    });
    if (!a) return;
    try {
      await call('workspace.setPassword', a);
      await refresh();
      message.success(status?.encrypted ? '密码已修改' : '工作区已加密');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="打开或新建工作区" size="small">
        {hasSystemDialogs ? (
          <Space>
            <Button onClick={() => choose('open')} data-testid="workspace-choose-open">
              打开…
            </Button>
            <Button type="primary" onClick={() => choose('create')} data-testid="workspace-choose-create">
              新建…
            </Button>
          </Space>
        ) : (
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder="工作区文件路径，例如 D:\\参保比对\\2026年度.canbao"
              value={path}
              onChange={(e) => setPath(e.target.value)}
              data-testid="workspace-path"
            />
            <Button onClick={() => open(path, false)} disabled={!path}>
              打开
            </Button>
            <Button type="primary" onClick={() => open(path, true)} disabled={!path} data-testid="workspace-create">
              新建/打开
            </Button>
          </Space.Compact>
        )}
        <Checkbox
          checked={encryptNew}
          onChange={(e) => setEncryptNew(e.target.checked)}
          style={{ marginTop: 8 }}
          data-testid="workspace-encrypt-new"
        >
          新建时设置密码（加密保存，电脑或U盘丢失也读不出身份证号）
        </Checkbox>
        {recent.length ? (
          <List
            size="small"
            header="最近使用（点击打开）"
            dataSource={recent}
            style={{ marginTop: 8 }}
            data-testid="workspace-recent"
            renderItem={(p) => (
              <List.Item style={{ padding: '2px 0' }}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => open(p, false)}
                  title={p}
                  style={{ padding: 0, maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis' }}
                >
                  {p === status?.path ? `${p}（当前）` : p}
                </Button>
              </List.Item>
            )}
          />
        ) : null}
      </Card>
      {passwords.dialog}
      {status?.path ? (
        <Card title="工作区密码" size="small" data-testid="workspace-encryption">
          <Space wrap>
            {status.encrypted ? <Tag color="green">已加密</Tag> : <Tag color="orange">未加密</Tag>}
            <Typography.Text type="secondary">
              {status.encrypted
                ? '工作区文件已用密码加密；忘记密码将无法打开。'
                : '工作区文件未加密：拿到文件的人可以读出其中的身份证号。建议加密。'}
            </Typography.Text>
            <Button onClick={setPassword} data-testid="workspace-set-password">
              {status.encrypted ? '修改密码' : '加密工作区'}
            </Button>
          </Space>
        </Card>
      ) : null}
      {status?.path ? (
        <Card title="设置" size="small">
          <Space wrap>
            <span>县（区）名称</span>
            <Input
              style={{ width: 160 }}
              value={county}
              placeholder="用于导出文件的标题"
              onChange={(e) => setCounty(e.target.value)}
              data-testid="settings-county"
            />
            <span>参保率目标</span>
            <InputNumber
              min={50}
              max={100}
              step={0.5}
              value={target}
              onChange={(v) => v !== null && setTarget(v)}
              addonAfter="%"
            />
            <Button onClick={saveSettings} data-testid="settings-save">
              保存
            </Button>
          </Space>
          {rules ? (
            <Space wrap style={{ marginTop: 12 }} data-testid="settings-rules">
              <Typography.Text type="secondary">比对与重复参保规则（一般保持全国默认）：</Typography.Text>
              <span>{SETTING_LABEL.linkWeight}</span>
              <InputNumber
                min={1}
                max={40}
                step={0.5}
                value={rules.linkWeight}
                onChange={(v) => rule('linkWeight', v)}
              />
              <span>{SETTING_LABEL.reviewWeight}</span>
              <InputNumber
                min={-20}
                max={40}
                step={0.5}
                value={rules.reviewWeight}
                onChange={(v) => rule('reviewWeight', v)}
              />
              <span>{SETTING_LABEL.employeeWins}</span>
              <Switch checked={rules.employeeWins} onChange={(v) => rule('employeeWins', v)} />
              <span>两条居民参保保留</span>
              <Select
                style={{ width: 150 }}
                value={rules.residentKeep}
                onChange={(v) => rule('residentKeep', v)}
                options={[
                  { value: 'baseVillage', label: '户籍所在村的一条' },
                  { value: 'earliest', label: '最早导入的一条' },
                ]}
              />
              <span>{SETTING_LABEL.refundCancelledResident}</span>
              <Switch checked={rules.refundCancelledResident} onChange={(v) => rule('refundCancelledResident', v)} />
              <span>{SETTING_LABEL.randomPairs}</span>
              <InputNumber
                min={10000}
                max={10000000}
                step={10000}
                value={rules.randomPairs}
                onChange={(v) => rule('randomPairs', v)}
              />
              <span>{SETTING_LABEL.backupsKept}</span>
              <InputNumber
                min={1}
                max={100}
                step={1}
                value={rules.backupsKept}
                onChange={(v) => rule('backupsKept', v)}
              />
            </Space>
          ) : null}
          {rules ? (
            <Space wrap style={{ marginTop: 12 }} data-testid="settings-participation">
              <Typography.Text type="secondary">乡镇核实与参保率（各地做法不同，按本县规定设置）：</Typography.Text>
              <Space size={6}>
                <span>{SETTING_LABEL.removeAbroad}</span>
                <Switch checked={rules.removeAbroad} onChange={(v) => rule('removeAbroad', v)} />
              </Space>
              <Space size={6}>
                <span>{SETTING_LABEL.removeMissing}</span>
                <Switch checked={rules.removeMissing} onChange={(v) => rule('removeMissing', v)} />
              </Space>
              <Space size={6}>
                <span>排名所用参保率口径</span>
                <Select
                  style={{ width: 110 }}
                  value={rules.rateBasis}
                  onChange={(v) => rule('rateBasis', v)}
                  options={(['household', 'local'] as const).map((b) => ({ value: b, label: RATE_BASIS_LABEL[b] }))}
                  data-testid="settings-rate-basis"
                />
              </Space>
              <Space size={6}>
                <span>{SETTING_LABEL.lagRate}</span>
                <InputNumber
                  style={{ width: 110 }}
                  min={0}
                  max={100}
                  step={1}
                  value={Math.round(rules.lagRate * 1000) / 10}
                  onChange={(v) => rule('lagRate', v === null ? null : v / 100)}
                  addonAfter="%"
                  data-testid="settings-lag-rate"
                />
              </Space>
            </Space>
          ) : null}
        </Card>
      ) : null}
      {status?.path ? (
        <Card title="已导入的名册" size="small" data-testid="rolls">
          <Descriptions size="small" column={4} style={{ marginBottom: 12 }}>
            <Descriptions.Item label="记录">{formatCount(status.records)} 条</Descriptions.Item>
            <Descriptions.Item label="数据问题">{formatCount(status.qualityIssues)} 个</Descriptions.Item>
            <Descriptions.Item label="比对">
              {status.matched ? `已比对，${formatCount(status.persons)} 人` : '尚未比对'}
            </Descriptions.Item>
            <Descriptions.Item label="待复核">{formatCount(status.reviewPending)} 对</Descriptions.Item>
          </Descriptions>
          <Space wrap style={{ marginBottom: 12 }}>
            {ID_STATUSES.map((s) => (
              <Tag key={s} color={s === 'valid' ? 'green' : s === 'converted15' ? 'blue' : 'orange'}>
                {ID_STATUS_LABEL[s]} {formatCount(status.idStatus[s])}
              </Tag>
            ))}
          </Space>
          <RollsTable />
        </Card>
      ) : null}
      {status?.path ? <BackupCard /> : null}
      {status?.path && rules ? (
        <ContinuitySettingsGroup rules={rules} onChange={(p) => setRules({ ...rules, ...p })} onSave={saveSettings} />
      ) : null}
    </Space>
  );
}
