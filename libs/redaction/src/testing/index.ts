export { FakeSecrets, seededRandom } from './fake-secrets';
export { syntheticLog, type SyntheticLog } from './synthetic-log';
