/**
 * The README's commands and tables against the app they describe: every `npx cdk deploy` names a
 * stack of the app and passes only parameters that stack has, with values it accepts; the parameter
 * table and the outputs line list exactly what the auditor's template declares.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../lib/app';

interface Parameter {
  AllowedValues?: string[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
  Type: string;
}

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const { stack, memberRoleStack } = buildApp();
const templates = new Map(
  [stack, memberRoleStack].map((s) => [s.stackName, Template.fromStack(s).toJSON()] as const),
);
const parametersOf = (name: string) => (templates.get(name)?.Parameters ?? {}) as Record<string, Parameter>;

/** Shell commands of the README's code blocks, with `\` continuations joined and comments cut. */
function commands(): string[] {
  const blocks = [...README.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) =>
    block
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s#\s.*$/, '').trim())
      .filter((line) => line !== ''),
  );
}

/** Also the inline ones, such as the Slack step's `npx cdk deploy …` in backquotes. */
function deployCommands(): string[] {
  const inline = [...README.matchAll(/`(npx cdk deploy[^`]*)`/g)].map((m) => m[1] ?? '');
  return [...commands().filter((c) => c.startsWith('npx cdk deploy')), ...inline];
}

function accepts(parameter: Parameter, value: string): boolean {
  if (parameter.AllowedValues && !parameter.AllowedValues.includes(value)) return false;
  if (parameter.AllowedPattern && !new RegExp(`^(?:${parameter.AllowedPattern})$`).test(value)) return false;
  if (parameter.Type === 'Number') {
    const n = Number(value);
    return (
      Number.isFinite(n) && n >= (parameter.MinValue ?? -Infinity) && n <= (parameter.MaxValue ?? Infinity)
    );
  }
  return true;
}

describe('the README', () => {
  const deploys = deployCommands();

  it('shows deploy commands', () => {
    expect(deploys.length).toBeGreaterThanOrEqual(5);
  });

  it.each(deploys.map((c) => [c]))(
    'names a stack of the app and only parameters it accepts: %s',
    (command) => {
      const [, , , stackName = ''] = command.split(/\s+/);
      expect([...templates.keys()]).toContain(stackName);
      const parameters = parametersOf(stackName);
      for (const [, key = '', raw = ''] of command.matchAll(/--parameters\s+(\w+)=('[^']*'|"[^"]*"|\S+)/g)) {
        const value = raw.replace(/^['"]|['"]$/g, '');
        expect(Object.keys(parameters)).toContain(key);
        // "$ARNS" and the like are filled in by the shell: only literal values are checked.
        if (!value.startsWith('$'))
          expect([key, accepts(parameters[key] as Parameter, value)]).toEqual([key, true]);
      }
    },
  );

  it('lists every parameter of the auditor stack in its parameter table, and no other', () => {
    const section = README.slice(README.indexOf('## Stack parameters'), README.indexOf('### Connect Slack'));
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    const declared = Object.keys(parametersOf(stack.stackName)).filter((p) => p !== 'BootstrapVersion');
    expect(listed.sort()).toEqual(declared.sort());
  });

  it('names every output of the auditor stack', () => {
    const line = README.slice(
      README.indexOf('Stack outputs:'),
      README.indexOf('```sh', README.indexOf('Stack outputs:')),
    );
    const named = [...line.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    const outputs = Object.keys(templates.get(stack.stackName)?.Outputs ?? {});
    expect(named.sort()).toEqual(outputs.sort());
  });
});
