/**
 * cdk-nag acknowledgements of wildcard resources (AwsSolutions-IAM5), written from the same ARN the
 * policy grants. cdk-nag names such a finding after the resolved ARN: `<AWS::AccountId>` in an
 * environment-agnostic stack, `111111111111` once the stack has an account, `aws-cn` in China. An
 * acknowledgement typed by hand matches one of those renderings only; this one matches whichever the
 * stack produces, because it is rendered by cdk-nag's own function from the stack's own resolution.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { IConstruct } from 'constructs';

export interface WildcardResource {
  /** The resource as given to the policy statement (an ARN with tokens, or `*`). */
  readonly resource: string;
  /** Why the wildcard is needed and why it is safe. */
  readonly reason: string;
}

/** The AwsSolutions-IAM5 finding id cdk-nag reports for `resource` in `scope`'s stack. */
export function wildcardFindingId(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges each wildcard resource on `scope` (the role or policy that grants it). */
export function acknowledgeWildcards(scope: IConstruct, ...resources: WildcardResource[]): void {
  Validations.of(scope).acknowledge(
    ...resources.map(({ resource, reason }) => ({ id: wildcardFindingId(scope, resource), reason })),
  );
}
