import { Environment } from './environment';
import { validateEnvironment } from './validate-environment';

/**
 * The only read of process.env. Tests pass overrides instead so each app
 * instance gets exactly the configuration it declares.
 */
export function loadEnvironment(overrides?: Record<string, string | undefined>): Environment {
  return validateEnvironment(overrides ? { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides } : { ...process.env });
}
