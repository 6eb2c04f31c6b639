import * as path from 'path';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../lambda/shared/observability';

/**
 * The one place where the defaults shared by every Lambda function of the auditor live: runtime,
 * architecture, logging, bundling, log retention and asynchronous invocation.
 */

/** Latest Node.js runtime known to aws-cdk-lib (cdk-nag AwsSolutions-L1 asks for the latest). */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;
/** esbuild target matching {@link LAMBDA_RUNTIME}. */
export const ESBUILD_TARGET = 'node24';
export const LAMBDA_ARCHITECTURE = lambda.Architecture.ARM_64;
export const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/**
 * Retries of a failed asynchronous invocation before the event goes to the failure queue: none.
 * Every AWS call inside the functions is already retried by its SDK client (adaptive, 10 attempts),
 * so an error that still escapes a handler is one a re-run cannot fix (a malformed event, a
 * configuration error, a bug) or one that needs a person; re-running it would only repeat its side
 * effects (alerts, backups). It goes straight to the failure queue, whose alarm fires, and can be
 * replayed from there. Throttled invocations are still retried by Lambda itself.
 */
export const ASYNC_RETRY_ATTEMPTS = 0;
/**
 * Node.js options of every function: source maps for stack traces, and a 500 ms Happy Eyeballs
 * attempt timeout, the AWS SDK's recommendation (EFFECTIVE_PRACTICES) for calls to other regions,
 * whose first address family can be slow to answer.
 */
export const NODE_OPTIONS = '--enable-source-maps --network-family-autoselection-attempt-timeout=500';
/** How long Lambda keeps retrying an asynchronous event before it goes to the failure queue. */
export const ASYNC_MAX_EVENT_AGE = Duration.hours(6);

/** Directory of the Lambda sources (`lambda/` at the repository root). */
export const LAMBDA_SOURCE_DIR = path.join(__dirname, '..', 'lambda');

export interface AuditorFunctionProps {
  /** Path of the handler file, which exports `handler`. */
  readonly entry: string;
  /**
   * How long Lambda keeps retrying an asynchronous event before it goes to the failure queue.
   * @default ASYNC_MAX_EVENT_AGE
   */
  readonly maxEventAge?: Duration;
  /** Powertools service name (`POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  /** Execution role, with no AWS managed policies; log permissions are granted here. */
  readonly role: iam.IRole;
  /** Queue that receives asynchronous invocations that failed after all retries. */
  readonly failureQueue: sqs.IQueue;
  /** Function-specific environment variables, added to the shared ones. */
  readonly environment: Record<string, string>;
  readonly description?: string;
  /**
   * @default Duration.minutes(15)
   */
  readonly timeout?: Duration;
  /**
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Application log level, applied to both the Lambda JSON log configuration and Powertools.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
  /**
   * @default LOG_RETENTION (three months)
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A bundled Node.js function with the auditor's defaults, its own log group (kept on stack
 * deletion) and failed asynchronous invocations sent to the failure queue.
 */
export class AuditorFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditorFunctionProps) {
    super(scope, id);
    const logLevel = props.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? LOG_RETENTION,
    });
    // Write-only access to its own log group: the group already exists, so no CreateLogGroup.
    this.logGroup.grantWrite(props.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      timeout: props.timeout ?? Duration.minutes(15),
      memorySize: props.memorySize ?? 256,
      role: props.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: logLevel,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      environment: {
        NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: logLevel,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: ESBUILD_TARGET,
        format: nodejs.OutputFormat.CJS,
        forceDockerBundling: false,
        // Ship the SDK versions the tests ran against, not whatever the runtime carries.
        bundleAwsSDK: true,
      },
    });

    // Function depends on the whole role construct, which renders as DependsOn the role and its
    // default policy. The `Role: GetAtt` already orders the role (cfn-lint W3005), so keep only the
    // policy: the function must not run before its permissions exist.
    const defaultPolicy = props.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (CfnResource.isCfnResource(defaultPolicy)) {
      const cfnFunction = this.function.node.defaultChild as lambda.CfnFunction;
      cfnFunction.addOverride('DependsOn', [Stack.of(this).getLogicalId(defaultPolicy)]);
    }

    this.function.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: props.maxEventAge ?? ASYNC_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(props.failureQueue),
    });
  }
}
