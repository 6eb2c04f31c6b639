import { CfnParameter, Stack } from 'aws-cdk-lib';
import { addParameterGroup } from './parameter-groups';

/** ReportRetentionDays' range: at least a day, at most ten years. */
export const REPORT_RETENTION_DAYS = { min: 1, max: 3650, default: 400 } as const;

/** The "Reports" parameters of docs/design.md. */
export interface ReportParameters {
  readonly reportRetentionDays: CfnParameter;
  readonly securityHubFindings: CfnParameter;
}

/**
 * Declares ReportRetentionDays and SecurityHubFindings on the stack (logical ids = the contract's
 * names) and adds them to the console's `AWS::CloudFormation::Interface` as the group "Reports",
 * after the groups already there. Call it after addAuditorParameters.
 */
export function addReportParameters(stack: Stack): ReportParameters {
  const reportRetentionDays = new CfnParameter(stack, 'ReportRetentionDays', {
    type: 'Number',
    default: REPORT_RETENTION_DAYS.default,
    minValue: REPORT_RETENTION_DAYS.min,
    maxValue: REPORT_RETENTION_DAYS.max,
    description:
      'Days each audit report and findings file is kept in the reports bucket before S3 deletes it.',
    constraintDescription: `must be a whole number of days from ${REPORT_RETENTION_DAYS.min} to ${REPORT_RETENTION_DAYS.max}`,
  });
  const securityHubFindings = new CfnParameter(stack, 'SecurityHubFindings', {
    type: 'String',
    default: 'false',
    allowedValues: ['true', 'false'],
    description:
      "true: each audited table's result is imported into AWS Security Hub, in the table's account and region " +
      '(Security Hub must be enabled there).',
    constraintDescription: 'must be true or false',
  });

  addParameterGroup(stack, 'Reports', [
    { parameter: reportRetentionDays, label: 'Days to keep reports' },
    { parameter: securityHubFindings, label: 'Import findings into Security Hub' },
  ]);

  return { reportRetentionDays, securityHubFindings };
}
