import { Card } from 'antd';
import { ExportToFolder } from '../components/export-to-folder';

/** 导出资助台账: 特殊对象资助参保台账 per township and the 资助名单变化 workbook, into a folder the clerk chooses. */
export function SubsidyExportCard() {
  return (
    <Card size="small" title="导出特殊对象资助参保台账">
      <ExportToFolder
        what={['subsidy']}
        label="导出资助台账"
        testId="subsidy-export"
        note="每个乡镇一个工作簿（按村分工作表，未参保的排在前面），另有一个“资助名单变化”工作簿，每月一个工作表列出各部门的新增、变更、取消。"
      />
    </Card>
  );
}
