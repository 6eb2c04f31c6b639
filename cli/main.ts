#!/usr/bin/env node
/** Entry point of `npm run audit` and of the `dynamodb-backup-audit` command. */
import { writeFile } from 'node:fs/promises';
import { setDefaultAutoSelectFamilyAttemptTimeout } from 'node:net';
import { createInterface } from 'node:readline/promises';
import { CliOptions } from './args';
import { awsEnvironment, CliEnvironment } from './environment';
import { demoEnvironment } from './demo';
import { runCli } from './run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * Give a connection attempt 500 ms (Node's default: 250) before trying the next address: the
 * `--network-family-autoselection-attempt-timeout=500` the AWS SDK's EFFECTIVE_PRACTICES recommends,
 * as 250 ms can be too short for a region on the other side of the world (`ETIMEDOUT`). A value the
 * user set on the command line or in NODE_OPTIONS wins.
 */
const ATTEMPT_TIMEOUT_OPTION = '--network-family-autoselection-attempt-timeout';
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((o) => o.includes(ATTEMPT_TIMEOUT_OPTION))) {
  setDefaultAutoSelectFamilyAttemptTimeout(500);
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

const environmentFor = (options: CliOptions): CliEnvironment =>
  options.demo ? demoEnvironment() : awsEnvironment(options.profile);

void runCli(
  process.argv.slice(2),
  {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    ask,
    writeFile: (path, content) => writeFile(path, content, 'utf8'),
    now: () => new Date(),
  },
  environmentFor,
).then((code) => {
  process.exitCode = code;
});
