import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../lib/app';

describe('the CDK app checked by cdk-nag AwsSolutions', () => {
  let app: App;

  beforeAll(() => {
    // As bin/app.ts builds it, environment-agnostic (no CDK_DEFAULT_ACCOUNT/REGION).
    ({ app } = buildApp({}, {}));
  });

  it('has no unacknowledged AwsSolutions violation, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) =>
          `${violation.severity ?? 'error'} ${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}: ${violation.description}`,
      ),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('synthesizes with the validation plugins registered on the app passing', () => {
    expect(() => app.synth()).not.toThrow();
  });
});
