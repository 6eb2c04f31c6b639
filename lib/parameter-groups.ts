import { CfnParameter, Stack } from 'aws-cdk-lib';

interface ParameterInterface {
  ParameterGroups?: { Label: { default: string }; Parameters: string[] }[];
  ParameterLabels?: Record<string, { default: string }>;
}

/**
 * Adds a group of parameters, each with its console label, to the stack's
 * `AWS::CloudFormation::Interface` metadata, after the groups already there.
 */
export function addParameterGroup(
  stack: Stack,
  group: string,
  parameters: { parameter: CfnParameter; label: string }[],
): void {
  const metadata = (stack.templateOptions.metadata ?? {}) as Record<string, unknown>;
  const ui = (metadata['AWS::CloudFormation::Interface'] ?? {}) as ParameterInterface;
  stack.templateOptions.metadata = {
    ...metadata,
    'AWS::CloudFormation::Interface': {
      ...ui,
      ParameterGroups: [
        ...(ui.ParameterGroups ?? []),
        { Label: { default: group }, Parameters: parameters.map((p) => p.parameter.logicalId) },
      ],
      ParameterLabels: {
        ...ui.ParameterLabels,
        ...Object.fromEntries(parameters.map((p) => [p.parameter.logicalId, { default: p.label }])),
      },
    },
  };
}
