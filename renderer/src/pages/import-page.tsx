import { App, Button, Card, Checkbox, InputNumber, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ROLL_KIND_LABEL, ROLL_KINDS, type RollKind } from '../../../shared/domain/types';
import { columnLetter, FIELD_LABEL, type Field } from '../../../shared/headers/fields';
import { contradicts, describeEvidence, FAMILY_LABEL } from '../../../shared/headers/roll-kind-evidence';
import type { JobResult, PreviewResponse } from '../../../shared/ipc/contract';
import { api, call, runJob, errorMessage } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { confirmKind } from '../components/kind-confirm';
import { useStatus } from '../state';
import { formatCount } from '../../../shared/text/clerk-format';

const MAPPED_FIELDS: Field[] = [
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'township',
  'village',
  'householdNo',
  'category',
  'insuredStatus',
  'paidDate',
];

/** The file's format and text encoding as WPS names them in its own dialogs, not the engine's codes. */
const FORMAT_WORDS: Record<string, string> = { xlsx: 'Excel 工作簿', xls: 'Excel 97-2003 工作簿', csv: 'CSV 文本' };
const ENCODING_WORDS: Record<string, string> = {
  utf8: 'UTF-8 编码',
  gb18030: 'GB18030 编码',
  utf16le: 'UTF-16 编码',
  utf16be: 'UTF-16 编码',
};

export function ImportPage() {
  const { refresh } = useStatus();
  const { message, modal } = App.useApp();
  const [path, setPath] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewResponse | null>(null);
  const [kind, setKind] = useState<RollKind>('population');
  const [year, setYear] = useState(new Date().getFullYear());
  const [sheets, setSheets] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Partial<Record<Field, number>>>({});
  const [headerRow, setHeaderRow] = useState<number | undefined>();
  const [job, setJob] = useState<JobState | null>(null);
  const [done, setDone] = useState<JobResult<'import.run'> | null>(null);

  const pick = async (file: File) => {
    // Forget the previous file at once, so the import button can never act on a stale preview.
    setDone(null);
    setPreview(null);
    setPath(null);
    try {
      const p = await api.pathForFile(file);
      setPath(p);
      const pv = await call('import.preview', { path: p });
      setPreview(pv);
      setHeaderRow(undefined);
      // Every sheet with a header is ticked (for .xlsx only the first is previewed: all are ticked).
      setSheets(
        pv.format === 'xlsx' ? pv.sheetNames : pv.sheets.filter((s) => s.headerRow !== null).map((s) => s.name),
      );
      setMapping(pv.sheets[0]?.mapping ?? {});
      // The file's own words first (title rows, sheet names, headers); the file name alone only when they say nothing.
      if (pv.suggestion) setKind(pv.suggestion.kind);
      else if (/职工/.test(file.name)) setKind('employee');
      else if (/城镇/.test(file.name)) setKind('resident_urban');
      else if (/农村|新农合|居民/.test(file.name)) setKind('resident_rural');
      else if (/底册|户籍|人口/.test(file.name)) setKind('population');
    } catch (e) {
      message.error(errorMessage(e));
    }
    return false;
  };

  /** The clerk names the header row when detection chose wrong: preview again with it. */
  const repreview = async (row: number | null) => {
    if (!path || !row) return;
    const pv = await call('import.preview', { path, headerRow: row });
    setPreview(pv);
    setHeaderRow(row);
    setMapping(pv.sheets[0]?.mapping ?? {});
  };

  const run = async (kindConfirmed = false) => {
    if (!path || !preview) return;
    if (!kindConfirmed && contradicts(preview.suggestion, kind)) {
      if (!(await confirmKind(modal, preview.file, kind, { suggestion: preview.suggestion! }))) return;
      kindConfirmed = true;
    }
    const detected = preview?.sheets[0]?.mapping ?? {};
    const changed = MAPPED_FIELDS.some((f) => mapping[f] !== detected[f]);
    const d = await runJob(
      'import.run',
      {
        path,
        kind,
        year,
        headerRow,
        sheets: sheets.length && sheets.length < preview!.sheetNames.length ? sheets : undefined,
        mapping: changed || headerRow ? mapping : undefined,
        confirmKind: kindConfirmed,
      },
      (p) => setJob({ ...p, label: p.label === '开始' ? '导入' : p.label }),
    );
    setJob(null);
    await refresh();
    if (d.ok) {
      setDone(d.result);
      message.success('导入完成');
    } else if (d.error.kind === 'kindMismatch') {
      if (await confirmKind(modal, preview.file, kind, { message: d.error.message })) await run(true);
    } else message.error(d.error.message);
  };

  const sheet = preview?.sheets[0];
  const header = sheet?.header ?? [];
  const width = Math.max(header.length, ...(sheet?.rows.map((r) => r.cells.length) ?? [0]));
  return (
    // Progress and the summary come first and the preview table sizes to the window: at 1366×768 the 导入 button,
    // the progress with 取消 and the summary are all in sight without scrolling.
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <JobProgress job={job} />
      {done ? (
        <Card size="small" title="导入结果" data-testid="import-summary">
          <Typography.Paragraph>
            共导入 {formatCount(done.records)} 条记录，发现 {formatCount(done.issues)} 个数据问题（在“结果 →
            数据问题”中查看，在“导出”中导出清单）。
          </Typography.Paragraph>
          <Table
            size="small"
            pagination={false}
            rowKey="sheet"
            dataSource={done.sheets}
            columns={[
              { title: '工作表', dataIndex: 'sheet', render: (s: string) => s || '（CSV）' },
              { title: '读取行', dataIndex: 'rowsRead', render: (n: number) => formatCount(n) },
              { title: '导入记录', dataIndex: 'imported', render: (n: number) => formatCount(n) },
              {
                title: '跳过',
                key: 'skipped',
                render: (_: unknown, s: JobResult<'import.run'>['sheets'][number]) =>
                  formatCount(Object.values(s.skipped).reduce((a, b) => a + b, 0)),
              },
            ]}
          />
        </Card>
      ) : null}
      <Upload.Dragger
        accept=".xlsx,.xls,.csv,.txt"
        showUploadList={false}
        beforeUpload={pick}
        multiple={false}
        data-testid="import-drop"
        // Once a file is shown, the drop zone shrinks so the preview and its 导入 button fit a 1366×768 window.
        height={preview || done ? 80 : undefined}
      >
        <p style={{ fontSize: 16, margin: preview || done ? 0 : 8 }}>把名册文件拖到这里，或点击选择文件</p>
        <p style={{ color: '#888', margin: preview || done ? 0 : undefined }}>
          支持 .xlsx、.xls、.csv/.txt（UTF-8 或 GB18030）；标题行、合计行、重复表头会自动跳过
        </p>
      </Upload.Dragger>
      {preview && sheet ? (
        <Card
          size="small"
          title={`预览：${preview.file}`}
          extra={
            <Space>
              <Typography.Text type="secondary">
                {FORMAT_WORDS[preview.format] ?? '表格'}
                {preview.encoding ? ` · ${ENCODING_WORDS[preview.encoding] ?? '其他编码'}` : ''}
              </Typography.Text>
              <Button
                type="primary"
                onClick={() => void run()}
                disabled={!!job || (preview.sheetNames.length > 1 && !sheets.length)}
                data-testid="import-run"
              >
                导入
              </Button>
            </Space>
          }
        >
          <Space wrap style={{ marginBottom: 12 }}>
            <span>名册类型</span>
            <Select
              value={kind}
              onChange={setKind}
              style={{ width: 200 }}
              options={ROLL_KINDS.map((k) => ({ value: k, label: ROLL_KIND_LABEL[k] }))}
              data-testid="import-kind"
            />
            {preview.suggestion ? (
              <Typography.Text type="secondary" data-testid="import-kind-hint">
                看起来是{FAMILY_LABEL[preview.suggestion.family]}：
                {preview.suggestion.evidence.slice(0, 2).map(describeEvidence).join('，')}
              </Typography.Text>
            ) : null}
            <span>年度</span>
            <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} />
            {preview.sheetNames.length > 1 ? (
              <>
                <span>工作表</span>
                <Checkbox.Group
                  value={sheets}
                  onChange={(v) => setSheets(preview.sheetNames.filter((name) => v.includes(name)))}
                  data-testid="import-sheets"
                  options={preview.sheetNames.map((name) => ({
                    value: name,
                    label: name,
                    disabled: preview.sheets.some((s) => s.name === name && s.headerRow === null),
                  }))}
                />
              </>
            ) : null}
          </Space>
          <Space style={{ marginBottom: 8 }}>
            <span>表头在第</span>
            <InputNumber
              size="small"
              min={1}
              max={30}
              value={sheet.headerRow ?? undefined}
              onChange={(v) => void repreview(v)}
              data-testid="import-header-row"
            />
            <span>
              行{sheet.name ? `（工作表“${sheet.name}”）` : ''}
              {sheet.headerRow === null ? '：未能自动找到表头，请指定表头所在行' : ''}
            </span>
          </Space>
          <Space wrap style={{ marginBottom: 12 }}>
            {MAPPED_FIELDS.map((f) => (
              <Space key={f} size={4}>
                <span>{FIELD_LABEL[f]}</span>
                <Select
                  size="small"
                  style={{ width: 130 }}
                  allowClear
                  value={mapping[f]}
                  placeholder="（无）"
                  onChange={(v) => setMapping({ ...mapping, [f]: v })}
                  options={Array.from({ length: width }, (_, i) => ({
                    value: i,
                    label: `${columnLetter(i)} ${header[i] ?? ''}`.trim(),
                  }))}
                />
              </Space>
            ))}
          </Space>
          <Table
            size="small"
            pagination={false}
            scroll={{ x: 'max-content', y: 'max(120px, calc(100vh - 560px))' }}
            rowKey="rowNumber"
            dataSource={sheet.rows}
            data-testid="import-preview"
            columns={[
              { title: '行', dataIndex: 'rowNumber', width: 50, fixed: 'left' },
              ...Array.from({ length: width }, (_, i) => ({
                title: `${columnLetter(i)} ${header[i] ?? ''}`,
                key: String(i),
                render: (_: unknown, r: PreviewResponse['sheets'][number]['rows'][number]) => {
                  const p = r.problems.filter((x) => x.column === i);
                  return (
                    <span
                      title={p.map((x) => x.message).join('；')}
                      style={{
                        whiteSpace: 'nowrap',
                        background: p.length ? '#fff1f0' : undefined,
                        color: r.skipped ? '#aaa' : undefined,
                      }}
                    >
                      {r.cells[i] ?? ''}
                    </span>
                  );
                },
              })),
              {
                title: '说明',
                key: 'note',
                width: 200,
                render: (_: unknown, r: PreviewResponse['sheets'][number]['rows'][number]) =>
                  r.skipped ? (
                    <Tag>跳过：{r.skipped}</Tag>
                  ) : r.problems.length ? (
                    <Tag color="red">{r.problems.map((p) => p.message).join('；')}</Tag>
                  ) : null,
              },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
