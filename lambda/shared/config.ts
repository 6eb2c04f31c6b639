/** Environment parsing that fails fast: a missing or malformed variable is a deployment bug. */

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`Environment variable ${name} is required but not set`);
  }
  return value.trim();
}

/** Reads a variable that may be present but empty (such as AUDIT_REGIONS). */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[name] ?? '').trim();
}

export function parseBoolean(name: string, value: string): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  throw new ConfigurationError(`${name} must be "true" or "false", got "${value}"`);
}
