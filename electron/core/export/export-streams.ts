import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * A file stream whose failure (a full disk, a read-only folder) becomes a rejected promise instead of an unhandled
 * 'error' event, which would kill the engine process and leave the clerk's request unanswered.
 */
export function guardedStream(file: string): {
  stream: WriteStream;
  failed: Promise<never>;
  drain: () => Promise<void>;
} {
  const stream = createWriteStream(file);
  let error: Error | null = null;
  const failed = new Promise<never>((_, reject) =>
    stream.on('error', (e) => {
      error ??= e;
      reject(e);
    }),
  );
  // Nobody may be awaiting `failed` when the error comes: the rejection is observed here, and rethrown by the waiters.
  failed.catch(() => undefined);
  const drain = () =>
    error
      ? Promise.reject(error)
      : Promise.race([new Promise<void>((res) => stream.once('drain', () => res())), failed]);
  return { stream, failed, drain };
}
