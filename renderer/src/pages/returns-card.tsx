import { Alert, App, Button, Card, Descriptions, Space, Tag, Typography, Upload } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { categoryLabel } from '../../../shared/domain/verification';
import type { ReturnsJobResult } from '../../../shared/ipc/jobs';
import { formatCount } from '../../../shared/text/clerk-format';
import { api, errorMessage, runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { copyText } from '../components/list-actions';
import { rowsAsTsv, VirtualTable, type SortState, type VirtualColumn } from '../components/virtual-table';

type Problem = ReturnsJobResult['problems'][number];

const PROBLEM_COLUMNS: VirtualColumn<Problem>[] = [
  { title: '文件', width: 220, render: (p) => p.file, text: (p) => p.file, sortKey: 'file' },
  { title: '工作表', width: 150, render: (p) => p.sheet, text: (p) => p.sheet, sortKey: 'sheet' },
  { title: '行', width: 56, render: (p) => p.row, text: (p) => String(p.row), sortKey: 'row' },
  { title: '列', width: 46, render: (p) => p.column, text: (p) => p.column, sortKey: 'column' },
  { title: '说明', width: 570, render: (p) => p.message, text: (p) => p.message, sortKey: 'message' },
];

/** In the files' own order (file, sheet, row), or by the column the clerk clicked and then in that order. */
function sortProblems(problems: Problem[], sort: SortState | null): Problem[] {
  const inFile = (a: Problem, b: Problem) =>
    a.file.localeCompare(b.file, 'zh-CN') || a.sheet.localeCompare(b.sheet, 'zh-CN') || a.row - b.row;
  if (!sort) return [...problems].sort(inFile);
  const key = sort.by as keyof Problem;
  const dir = sort.dir === 'desc' ? -1 : 1;
  const cmp = (a: Problem, b: Problem) => {
    const x = a[key];
    const y = b[key];
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN');
  };
  return [...problems].sort((a, b) => dir * cmp(a, b) || inFile(a, b));
}

function ProblemsTable({ problems }: { problems: Problem[] }) {
  const { message } = App.useApp();
  const [sort, setSort] = useState<SortState | null>(null);
  const [selected, setSelected] = useState(new Map<number, Problem>());
  const rows = useMemo(() => sortProblems(problems, sort), [problems, sort]);
  const fetchPage = useCallback(async (offset: number, limit: number) => rows.slice(offset, offset + limit), [rows]);
  const copy = async () => {
    const picked = selected.size ? [...selected].sort((a, b) => a[0] - b[0]).map(([, p]) => p) : rows;
    await copyText(rowsAsTsv(PROBLEM_COLUMNS, picked));
    void message.success(`已复制 ${picked.length} 行，可直接粘贴到 WPS 或 Excel 发回乡镇`);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text strong>问题行（{formatCount(problems.length)} 行）</Typography.Text>
        <Button size="small" onClick={() => void copy()} data-testid="returns-problems-copy">
          {selected.size ? `复制（${selected.size} 行）` : '复制全部'}
        </Button>
      </Space>
      <VirtualTable
        columns={PROBLEM_COLUMNS}
        total={rows.length}
        fetchPage={fetchPage}
        resetKey={JSON.stringify(sort)}
        height={Math.min(240, Math.max(1, rows.length) * 30 + 2)}
        sort={sort}
        onSort={(s) => {
          setSelected(new Map());
          setSort(s);
        }}
        selected={selected}
        onSelect={setSelected}
      />
    </Space>
  );
}

function ReturnsSummary({ result }: { result: ReturnsJobResult }) {
  const categories = Object.entries(result.byCategory).sort((a, b) => b[1] - a[1]);
  return (
    <Card size="small" title="导入结果" data-testid="returns-summary">
      <Descriptions size="small" column={6} style={{ marginBottom: 8 }}>
        <Descriptions.Item label="文件">{result.files.length} 个</Descriptions.Item>
        <Descriptions.Item label="行">
          <span data-testid="returns-rows">{formatCount(result.rows)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="采用">
          <span data-testid="returns-applied">{formatCount(result.applied)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="未变">
          <span data-testid="returns-unchanged">{formatCount(result.unchanged)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="尚未填写">
          <span data-testid="returns-unanswered">{formatCount(result.unanswered)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="问题">
          <span data-testid="returns-problems-count" style={{ color: result.problems.length ? '#d4380d' : undefined }}>
            {formatCount(result.problems.length)}
          </span>
        </Descriptions.Item>
      </Descriptions>
      {categories.length ? (
        <Space size={4} wrap style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary">本次采用的核实情况：</Typography.Text>
          {categories.map(([code, n]) => (
            <Tag key={code}>
              {categoryLabel(code)} {formatCount(n)}
            </Tag>
          ))}
        </Space>
      ) : null}
      {result.files.some((f) => f.skippedSheets.length) ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          未读取的工作表（没有“核实情况”列，如汇总表）：
          {result.files
            .filter((f) => f.skippedSheets.length)
            .map((f) => `${f.file}：${f.skippedSheets.join('、')}`)
            .join('；')}
        </Typography.Paragraph>
      ) : null}
      <Alert
        type={result.problems.length ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: result.problems.length ? 8 : 0 }}
        data-testid="returns-next"
        message={
          result.problems.length
            ? '问题行没有计入：请把下表复制给乡镇，改正后重新发回，再导入一次即可。已采用的行重复导入不会重复计数。'
            : '全部行已采用或尚未填写。尚未填写的请乡镇继续核实后再发回；重复导入不会重复计数。到“进度”查看参保率。'
        }
      />
      {result.problems.length ? <ProblemsTable problems={result.problems} /> : null}
    </Card>
  );
}

/** 导入核实回执: the workbooks townships sent back (any number at once), as they come back from WPS or Excel. */
export function ReturnsCard({ onImported }: { onImported: () => void }) {
  const { message } = App.useApp();
  const [files, setFiles] = useState<{ name: string; path: string }[]>([]);
  const [job, setJob] = useState<JobState | null>(null);
  const [result, setResult] = useState<ReturnsJobResult | null>(null);
  const add = async (file: File) => {
    try {
      const path = await api.pathForFile(file);
      setFiles((fs) => [...fs.filter((f) => f.name !== file.name), { name: file.name, path }]);
    } catch (e) {
      message.error(errorMessage(e));
    }
    return false;
  };
  const run = async () => {
    setResult(null);
    const r = await runJob('returns.import', { paths: files.map((f) => f.path) }, (p) =>
      setJob({ ...p, label: p.label === '开始' ? '导入核实回执' : p.label }),
    );
    setJob(null);
    if (r.ok) {
      setResult(r.result);
      setFiles([]);
      onImported();
    } else if (r.error.kind === 'cancelled') message.info(r.error.message);
    else message.error(r.error.message);
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <div data-testid="returns-drop">
        <Upload.Dragger
          accept=".xlsx,.xls"
          multiple
          showUploadList={false}
          beforeUpload={add}
          height={result ? 70 : 110}
        >
          <p style={{ fontSize: 16, margin: 0 }}>把乡镇发回的核实回执拖到这里，或点击选择（可一次选多个）</p>
          <p style={{ color: '#888', margin: 0 }}>
            支持 .xlsx、.xls；排过序、删过行、移过列、改过工作表名的都能读，按人员编号、身份证号或姓名+村对回本人
          </p>
        </Upload.Dragger>
      </div>
      {files.length ? (
        <Space wrap data-testid="returns-files">
          {files.map((f) => (
            <Tag key={f.name} closable onClose={() => setFiles((fs) => fs.filter((x) => x.name !== f.name))}>
              {f.name}
            </Tag>
          ))}
          <Button type="primary" onClick={() => void run()} disabled={!!job} data-testid="returns-run">
            导入 {files.length} 个文件
          </Button>
        </Space>
      ) : null}
      <JobProgress job={job} />
      {result ? <ReturnsSummary result={result} /> : null}
    </Space>
  );
}
