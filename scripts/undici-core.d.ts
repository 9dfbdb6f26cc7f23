/** Types of scripts/undici-core.js: the same values as undici's own exports of these names. */
export { Agent, Dispatcher, buildConnector, errors, request } from 'undici';
