// What the CLI bundle (scripts/bundle-cli.js) gives the sources for `import … from 'undici'`: the
// exports VIOscan uses, taken from the same files as undici's index.js, which also loads the mock
// agents, the caches, fetch and WebSocket, and Node's own fetch through them (about a third of
// `vioscan scan`'s start). An ES module, so the build fails when the sources import anything else.
// Mirrors undici 7's index.js (request = makeDispatcher(api.request)); test/package/cli-bundle.test.ts
// compares the two.
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import buildConnector from 'undici/lib/core/connect.js';
import errors from 'undici/lib/core/errors.js';
import util from 'undici/lib/core/util.js';
import globalDispatcher from 'undici/lib/global.js';

// As undici's index.js does: dispatchers get request(), stream(), pipeline(), upgrade(), connect().
Object.assign(Dispatcher.prototype, api);

/** undici's index.js makeDispatcher: `fn` called on opts.dispatcher (default: the global one). */
function makeDispatcher(fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts;
      opts = null;
    }
    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL)))
      throw new errors.InvalidArgumentError('invalid url');
    if (opts != null && typeof opts !== 'object') throw new errors.InvalidArgumentError('invalid opts');
    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') throw new errors.InvalidArgumentError('invalid opts.path');
      const path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
      url = new URL(util.parseOrigin(url).origin + path);
    } else {
      if (!opts) opts = typeof url === 'object' ? url : {};
      url = util.parseURL(url);
    }
    const { agent, dispatcher = globalDispatcher.getGlobalDispatcher() } = opts;
    if (agent) throw new errors.InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
    return fn.call(
      dispatcher,
      {
        ...opts,
        origin: url.origin,
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: opts.method || (opts.body ? 'PUT' : 'GET'),
      },
      handler,
    );
  };
}

export const request = makeDispatcher(api.request);
export { Agent, Dispatcher, buildConnector, errors };
