/**
 * The errors the simulated services throw: the SDK's own modeled exception classes where the service
 * models one, else the client's base ServiceException with the wire error code as `name` (which is
 * what the SDK itself builds for an unmodeled error). `$metadata.httpStatusCode` is always set so the
 * SDK's retry classification sees what it would see from the real service.
 */
import { randomUUID } from 'node:crypto';
import {
  BackupInUseException,
  DynamoDBServiceException,
  ResourceNotFoundException as DynamoDBResourceNotFoundException,
  TableInUseException,
  TableNotFoundException,
  ThrottlingException as DynamoDBThrottlingException,
} from '@aws-sdk/client-dynamodb';
import {
  BackupServiceException,
  InvalidParameterValueException as BackupInvalidParameterValueException,
  MissingParameterValueException,
  ResourceNotFoundException as BackupResourceNotFoundException,
} from '@aws-sdk/client-backup';
import { InvalidParameterException, NotFoundException, ThrottledException } from '@aws-sdk/client-sns';
import {
  InvalidRequestContentException,
  LambdaServiceException,
  RequestTooLargeException,
  ResourceNotFoundException as LambdaResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { STSServiceException } from '@aws-sdk/client-sts';
import {
  AccessDeniedException as OrganizationsAccessDeniedException,
  AWSOrganizationsNotInUseException,
  InvalidInputException as OrganizationsInvalidInputException,
  OrganizationsServiceException,
  TooManyRequestsException as OrganizationsTooManyRequestsException,
} from '@aws-sdk/client-organizations';
import {
  InvalidParameterException as TaggingInvalidParameterException,
  ThrottledException as ThrottledException_Tagging,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { NoSuchBucket, NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import {
  InvalidAccessException,
  InvalidInputException,
  LimitExceededException as SecurityHubLimitExceededException,
} from '@aws-sdk/client-securityhub';

export type ServiceName =
  'dynamodb' | 'backup' | 'sns' | 'lambda' | 'sts' | 'tagging' | 's3' | 'securityhub' | 'organizations';

export function errorMetadata(httpStatusCode: number) {
  return { httpStatusCode, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 };
}

/** The throttling error each service returns when a caller exceeds its request rate. */
export function throttlingError(service: ServiceName, operation: string): Error {
  const message = `Rate exceeded for ${operation} (simulated)`;
  switch (service) {
    case 'dynamodb':
      // Control-plane request-rate throttling ("Rate of requests exceeds the allowed throughput").
      return new DynamoDBThrottlingException({
        message: `Rate of requests exceeds the allowed throughput: ${operation} (simulated)`,
        $metadata: errorMetadata(400),
      });
    case 'backup':
      // AWS Backup does not model a throttling shape; the wire code is ThrottlingException.
      return new BackupServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message,
        $metadata: errorMetadata(400),
      });
    case 'sns':
      return new ThrottledException({ message, $metadata: errorMetadata(429) });
    case 'lambda':
      return new TooManyRequestsException({
        message: 'Rate Exceeded.',
        Type: 'User',
        Reason: 'CallerRateLimitExceeded',
        $metadata: errorMetadata(429),
      });
    case 'tagging':
      // The Tagging API's throttling error (published: ThrottledException).
      return new ThrottledException_Tagging({ message, $metadata: errorMetadata(400) });
    case 's3':
      // S3 asks callers to slow down with a 503 SlowDown.
      return new S3ServiceException({
        name: 'SlowDown',
        $fault: 'server',
        message: 'Please reduce your request rate. (simulated)',
        $metadata: errorMetadata(503),
      });
    case 'securityhub':
      // Security Hub's answer to a caller over its rate (HTTP 429).
      return new SecurityHubLimitExceededException({
        message,
        Message: message,
        Code: 'LimitExceededException',
        $metadata: errorMetadata(429),
      });
    case 'sts':
      // STS (query protocol) answers a throttled call with the code "Throttling".
      return new STSServiceException({
        name: 'Throttling',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: errorMetadata(400),
      });
    case 'organizations':
      // Organizations (JSON protocol) answers with its modeled TooManyRequestsException.
      return new OrganizationsTooManyRequestsException({
        message: 'You have sent too many requests in too short a period of time. Try again later.',
        Message: 'You have sent too many requests in too short a period of time. Try again later.',
        Type: 'TooManyRequestsException',
        $metadata: errorMetadata(400),
      });
  }
}

// DynamoDB ------------------------------------------------------------------------------------------

export const dynamodbErrors = {
  validation(violations: string[]): Error {
    const n = violations.length;
    const message =
      n === 1
        ? `1 validation error detected: ${violations[0]}`
        : `${n} validation errors detected: ${violations.join('; ')}`;
    return new DynamoDBServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message,
      $metadata: errorMetadata(400),
    });
  },
  validationMessage(message: string): Error {
    return new DynamoDBServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message,
      $metadata: errorMetadata(400),
    });
  },
  resourceNotFound(tableName: string): Error {
    return new DynamoDBResourceNotFoundException({
      message: `Requested resource not found: Table: ${tableName} not found`,
      $metadata: errorMetadata(400),
    });
  },
  tableNotFound(tableName: string): Error {
    return new TableNotFoundException({
      message: `Table not found: ${tableName}`,
      $metadata: errorMetadata(400),
    });
  },
  tableInUse(tableName: string, status: string): Error {
    return new TableInUseException({
      message: `Table ${tableName} is in ${status} state; backups can not be created while a table is being created or deleted`,
      $metadata: errorMetadata(400),
    });
  },
  backupInUse(tableName: string): Error {
    return new BackupInUseException({
      message: `There is another ongoing conflicting backup control plane operation on the table: ${tableName}`,
      $metadata: errorMetadata(400),
    });
  },
};

// AWS Backup ----------------------------------------------------------------------------------------

export const backupErrors = {
  /** Out-of-range or malformed members, as the service's request validation reports them. */
  validation(message: string): Error {
    return new BackupServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message,
      $metadata: errorMetadata(400),
    });
  },
  invalidParameterValue(message: string): Error {
    return new BackupInvalidParameterValueException({
      message,
      Message: message,
      Code: 'ERROR_2203',
      Type: 'User',
      $metadata: errorMetadata(400),
    });
  },
  missingParameterValue(parameter: string): Error {
    const message = `Missing required parameter: ${parameter}`;
    return new MissingParameterValueException({
      message,
      Message: message,
      Type: 'User',
      $metadata: errorMetadata(400),
    });
  },
  resourceNotFound(message: string): Error {
    return new BackupResourceNotFoundException({
      message,
      Message: message,
      Code: 'ERROR_3312',
      Type: 'User',
      $metadata: errorMetadata(400),
    });
  },
};

// SNS -----------------------------------------------------------------------------------------------

export const snsErrors = {
  invalidParameter(message: string): Error {
    return new InvalidParameterException({ message, $metadata: errorMetadata(400) });
  },
  notFound(message: string): Error {
    return new NotFoundException({ message, $metadata: errorMetadata(404) });
  },
};

// Lambda --------------------------------------------------------------------------------------------

export const lambdaErrors = {
  validation(message: string): Error {
    return new LambdaServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message,
      $metadata: errorMetadata(400),
    });
  },
  functionNotFound(functionArn: string): Error {
    const message = `Function not found: ${functionArn}`;
    return new LambdaResourceNotFoundException({
      message,
      Message: message,
      Type: 'User',
      $metadata: errorMetadata(404),
    });
  },
  invalidRequestContent(message: string): Error {
    return new InvalidRequestContentException({
      message,
      Type: 'User',
      $metadata: errorMetadata(400),
    });
  },
  requestTooLarge(message: string): Error {
    return new RequestTooLargeException({
      message,
      Type: 'User',
      $metadata: errorMetadata(413),
    });
  },
};

// Resource Groups Tagging API --------------------------------------------------------------------

export const taggingErrors = {
  invalidParameter(message: string): Error {
    return new TaggingInvalidParameterException({ message, $metadata: errorMetadata(400) });
  },
};

// S3 ------------------------------------------------------------------------------------------------

export const s3Errors = {
  noSuchBucket(bucket: string): Error {
    return new NoSuchBucket({
      message: `The specified bucket does not exist: ${bucket}`,
      $metadata: errorMetadata(404),
    });
  },
  /** A bucket of another region addressed through this region's endpoint. */
  permanentRedirect(bucket: string, region: string): Error {
    return new S3ServiceException({
      name: 'PermanentRedirect',
      $fault: 'client',
      message: `The bucket you are attempting to access must be addressed using the specified endpoint: ${bucket} is in ${region}`,
      $metadata: errorMetadata(301),
    });
  },
  noSuchKey(key: string): Error {
    return new NoSuchKey({
      message: `The specified key does not exist: ${key}`,
      $metadata: errorMetadata(404),
    });
  },
  accessDenied(): Error {
    return new S3ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: 'Access Denied',
      $metadata: errorMetadata(403),
    });
  },
  incompleteBody(message: string): Error {
    return new S3ServiceException({
      name: 'IncompleteBody',
      $fault: 'client',
      message,
      $metadata: errorMetadata(400),
    });
  },
  keyTooLong(): Error {
    return new S3ServiceException({
      name: 'KeyTooLongError',
      $fault: 'client',
      message: 'Your key is too long',
      $metadata: errorMetadata(400),
    });
  },
};

// Security Hub --------------------------------------------------------------------------------------

export const securityHubErrors = {
  /** Security Hub is not enabled (the account is not subscribed) in the region. */
  notSubscribed(accountId: string): Error {
    const message = `Account ${accountId} is not subscribed to AWS Security Hub`;
    return new InvalidAccessException({
      message,
      Message: message,
      Code: 'InvalidAccessException',
      $metadata: errorMetadata(401),
    });
  },
  invalidInput(message: string): Error {
    return new InvalidInputException({
      message,
      Message: message,
      Code: 'InvalidInputException',
      $metadata: errorMetadata(400),
    });
  },
};

// STS -----------------------------------------------------------------------------------------------

export const stsErrors = {
  /** AssumeRole of a role that is missing or does not trust the caller: STS cannot tell them apart. */
  accessDenied(callerArn: string, roleArn: string): Error {
    return new STSServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      $metadata: errorMetadata(403),
    });
  },
  /** Request validation (query protocol code `ValidationError`). */
  validation(member: string, value: string, constraint: string): Error {
    return new STSServiceException({
      name: 'ValidationError',
      $fault: 'client',
      message: `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
      $metadata: errorMetadata(400),
    });
  },
};

/** Credentials no account of the simulation issued (every service answers with this code). */
export function unrecognizedClient(accessKeyId: string | undefined): Error {
  return Object.assign(
    new Error(`The security token included in the request is invalid (access key ${accessKeyId ?? 'none'})`),
    { name: 'UnrecognizedClientException', $fault: 'client', $metadata: errorMetadata(400) },
  );
}

// Organizations -------------------------------------------------------------------------------------

export const organizationsErrors = {
  /** The caller is neither the management account nor a delegated administrator. */
  accessDenied(): Error {
    const message = "You don't have permissions to access this resource.";
    return new OrganizationsAccessDeniedException({
      message,
      Message: message,
      $metadata: errorMetadata(400),
    });
  },
  notInUse(): Error {
    const message = 'Your account is not a member of an organization.';
    return new AWSOrganizationsNotInUseException({
      message,
      Message: message,
      $metadata: errorMetadata(400),
    });
  },
  invalidNextToken(): Error {
    const message = 'The provided pagination token is not valid.';
    return new OrganizationsInvalidInputException({
      message,
      Message: message,
      Reason: 'INVALID_NEXT_TOKEN',
      $metadata: errorMetadata(400),
    });
  },
  validation(member: string, value: string, constraint: string): Error {
    return new OrganizationsServiceException({
      name: 'ValidationException',
      $fault: 'client',
      message: `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
      $metadata: errorMetadata(400),
    });
  },
};
