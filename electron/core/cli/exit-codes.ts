import type { ErrorKind } from '../../../shared/ipc/errors';

/**
 * The CLI's exit code for each error kind, in one place. 0 is success; 2 is a usage error (also an unknown
 * command); 130 a cancel (Ctrl+C, as shells report SIGINT); 70 a program error (EX_SOFTWARE).
 */
export const EXIT_CODE: Record<ErrorKind, number> = {
  badInput: 2,
  forbidden: 2,
  notFound: 3,
  notAWorkspace: 4,
  workspaceTooNew: 4,
  unsupportedFile: 5,
  fileUnreadable: 5,
  noHeader: 5,
  badMapping: 5,
  alreadyImported: 6,
  // the chosen roll kind contradicts the file's title, sheet names or headers (--kind-confirmed goes ahead)
  kindMismatch: 10,
  limitExceeded: 7,
  // the disk is full, read-only, locked by another program, or the path is too long
  storageFault: 8,
  // another app window, CLI or PC is writing this workspace
  workspaceLocked: 9,
  // the workspace is encrypted and no password, or a wrong one, was given
  workspacePassword: 12,
  cancelled: 130,
  internal: 70,
};

/** canbao audit --verify: the log was read, and it is not what was written (a finding, not an error of the run). */
export const AUDIT_BROKEN_EXIT = 13;
