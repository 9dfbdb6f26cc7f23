// VIOscan installs Observatory only to run its scanner (bench/observatory.ts); its API database
// code, the only user of pg-native → libpq, is never loaded. Behave like an absent module.
throw Object.assign(new Error('libpq is a stub in VIOscan (bench/observatory/stubs)'), {
  code: 'MODULE_NOT_FOUND',
});
