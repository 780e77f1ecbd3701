// Layer rules of the hexagon (docs/architecture.md). `npm run layers` fails on a violation.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain imports nothing outside src/domain except fp-ts/io-ts (and apache-arrow vectors): no I/O, no SDK, no DI.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        pathNot: ['^src/domain/', 'node_modules/(fp-ts|io-ts|apache-arrow)/'],
      },
    },
    {
      name: 'ports-only-know-domain',
      comment: 'src/ports declares interfaces over domain types; it imports no adapter, SDK or DI.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: ['^src/ports/', '^src/domain/', 'node_modules/(fp-ts|io-ts)/'] },
    },
    {
      name: 'application-uses-ports',
      comment: 'use cases take ports only: no adapter, no AWS SDK, no node built-ins for I/O.',
      severity: 'error',
      from: { path: '^src/application/' },
      to: {
        pathNot: ['^src/(application|ports|domain)/', 'node_modules/(fp-ts|io-ts)/'],
      },
    },
    {
      name: 'only-composition-knows-adapters',
      comment: 'only src/entrypoints/composition imports concrete adapters.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/adapters/', '^src/entrypoints/composition/'] },
      to: { path: '^src/adapters/' },
    },
    {
      name: 'adapters-do-not-know-entrypoints',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(entrypoints|application)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    // node: built-ins resolve to "node:fs" etc. (coreModule); they are caught by the rules above
    // because their resolved path is not under src/domain.
  },
};
