/**
 * The layering of DESIGN.md, checked by `npm run lint` (dependency-cruiser):
 *   config, errors, log  ←  db, scanner  ←  modules, jobs  ←  http  ←  ops  ←  cli
 * The scanner is a pure library and db a driver: neither knows of http, modules, jobs, ops or cli.
 * Nothing in src/ imports tests or benchmarks, and no module imports itself back through others.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that cannot be understood, loaded or tested one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'scanner-is-a-pure-library',
      severity: 'error',
      comment: 'src/scanner: URL in, report out; no database, HTTP server, service module, job, ops or CLI.',
      from: { path: '^src/scanner/' },
      to: { path: '^src/(db|http|modules|jobs|ops|cli)/' },
    },
    {
      name: 'db-knows-no-upper-layer',
      severity: 'error',
      comment: 'src/db: engines, migrations and transactions only.',
      from: { path: '^src/db/' },
      to: { path: '^src/(http|modules|jobs|ops|cli|scanner)/' },
    },
    {
      name: 'config-errors-log-are-the-base',
      severity: 'error',
      comment: 'Configuration, the error catalogue and logging are used by every layer and use none.',
      from: { path: '^src/(config/|errors\\.ts|log\\.ts)' },
      to: { path: '^src/(db|http|modules|jobs|ops|cli|scanner)/' },
    },
    {
      name: 'modules-and-jobs-below-http',
      severity: 'error',
      comment: 'Services and jobs are called by the HTTP layer, the workers and the CLI, never the reverse.',
      from: { path: '^src/(modules|jobs)/' },
      to: { path: '^src/(ops/(supervisor|server-process|runtime)|cli/)' },
    },
    {
      name: 'only-the-cli-imports-the-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-imports-no-tests-or-benchmarks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: a type cycle is still a design cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|web/dist|node_modules)/' },
  },
};
