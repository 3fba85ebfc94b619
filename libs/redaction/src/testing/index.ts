export { FakeSecrets, seededRandom } from './fake-secrets';
