#!/usr/bin/env node
/** Entry point of `npm run audit` and of the `dynamodb-backup-audit` command. */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { CliOptions } from './args';
import { awsEnvironment, CliEnvironment } from './environment';
import { demoEnvironment } from './demo';
import { runCli } from './run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
