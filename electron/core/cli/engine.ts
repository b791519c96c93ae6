import { timeLeftWords } from '../../../shared/ipc/job-progress';
import { resolve } from 'node:path';
import type { ProgressEvent, Request } from '../../../shared/ipc/contract';
import type { JobChannel, JobResult } from '../../../shared/ipc/jobs';
import { BackendClient } from '../service/backend-client';
import { withPasswordRetry } from './password';

/**
 * Every command reaches the engine the way the app does: a BackendClient, the engine worker, the one handler map.
 * The command only turns its arguments into the contract's request; the handler validates, acts and logs.
 */
export async function withEngine<T>(
  opts: { workspace: string; create?: boolean; by?: string },
  run: (engine: Engine) => Promise<T>,
): Promise<T> {
  const client = new BackendClient({ actor: opts.by });
  try {
    await withPasswordRetry((password) =>
      client.call('workspace.open', { path: resolve(opts.workspace), create: opts.create ?? false, password }),
    );
    return await run(new Engine(client));
  } finally {
    await client.close();
  }
}

export class Engine {
  constructor(readonly client: BackendClient) {}

  call: BackendClient['call'] = (channel, input) => this.client.call(channel, input);

  /** Runs a job with its progress on stderr (unless quiet); Ctrl+C sends job.cancel, and the job undoes its work. */
  async job<C extends JobChannel>(
    channel: C,
    input: Request<C>,
    opts: { quiet?: boolean; cancelNote: string },
  ): Promise<JobResult<C>> {
    let jobId: string | null = null;
    let presses = 0;
    // The first Ctrl+C cancels (the job undoes its work); a second one gives up waiting.
    const onSigint = () => {
      if (++presses > 1) process.exit(130);
      process.stderr.write(`\n${opts.cancelNote}\n`);
      if (jobId) void this.client.call('job.cancel', { jobId });
    };
    process.on('SIGINT', onSigint);
    const show = (p: ProgressEvent) => {
      const overall = p.overall === null ? '' : `${Math.min(99, Math.floor(p.overall * 100))}% `;
      const left = timeLeftWords(p.secondsLeft);
      process.stderr.write(
        `\r  ${overall}${p.label}${p.total && p.total > 1 ? ` ${p.done}/${p.total}` : p.done ? ` ${p.done}` : ''}${left ? `（${left}）` : ''}\x1b[K`,
      );
    };
    try {
      return await this.client.runJob(channel, input, {
        started: (id) => (jobId = id),
        progress: opts.quiet ? undefined : show,
      });
    } finally {
      process.off('SIGINT', onSigint);
      if (!opts.quiet) process.stderr.write('\r\x1b[K');
    }
  }
}
