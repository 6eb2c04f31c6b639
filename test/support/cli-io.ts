/** A CLI's terminal in memory: what it wrote to stdout and stderr, nobody at the keyboard. */
import { CliIo } from '../../cli/run';

export interface CapturedIo {
  io: CliIo;
  out(): string;
  err(): string;
}

export function captureIo(options: { stdoutTTY?: boolean; now?: () => Date } = {}): CapturedIo {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t), isTTY: options.stdoutTTY ?? false },
    stderr: { write: (t: string) => (err += t), isTTY: false },
    stdinIsTTY: false,
    ask: async () => '',
    writeFile: async () => undefined,
    now: options.now ?? (() => new Date()),
  };
  return { io, out: () => out, err: () => err };
}
