/** The one message of a cancelled export (the export removes what it had written). */
export const EXPORT_CANCELLED = '导出已取消，未留下任何文件';
