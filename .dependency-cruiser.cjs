// Which folder may import which: the rules of README.md's Architecture section, checked by `npm run lint:layers`
// (dependency-cruiser). A rule broken by today's code is not weakened: name the file in a
// KNOWN_EXCEPTIONS list here with what remains to move, so the rule holds for every other file.
// None today (the live tail and /metrics read through cli/store/live-reads.ts since issue 14, item 1).

const CLI_FEATURES = '^cli/(record|import|report|serve|share|commands)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles: none today; keep it so.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-not-viewer',
      severity: 'error',
      comment: 'cli/ never imports viewer/; what both need lives in schemas/.',
      from: { path: '^cli/' },
      to: { path: '^viewer/' },
    },
    {
      name: 'viewer-not-cli',
      severity: 'error',
      comment:
        'viewer/ never imports cli/ (it runs in a browser); what both need lives in schemas/.',
      from: { path: '^viewer/' },
      to: { path: '^cli/' },
    },
    {
      name: 'schemas-import-only-schemas',
      severity: 'error',
      comment:
        'schemas/ is the shared contract: it imports nothing but itself (no cli, viewer, packages, node:).',
      from: { path: '^schemas/' },
      to: { pathNot: '^schemas/' },
    },
    {
      name: 'product-not-test',
      severity: 'error',
      comment: 'cli/, viewer/ and schemas/ never import test/.',
      from: { path: '^(cli|viewer|schemas)/' },
      to: { path: '^test/' },
    },
    {
      name: 'sqlite-only-in-store',
      severity: 'error',
      comment: 'cli/store/ is the only place that imports better-sqlite3.',
      from: { path: '^cli/', pathNot: '^cli/store/' },
      to: { path: '(^|/)node_modules/better-sqlite3/' },
    },
    {
      name: 'db-handle-only-in-store',
      severity: 'error',
      comment:
        'The raw Db handle (cli/store/sqlite.ts) stays in cli/store/: others read through its typed readers.',
      from: { path: '^cli/', pathNot: '^cli/store/' },
      to: { path: '^cli/store/sqlite[.]ts$' },
    },
    {
      name: 'commander-only-in-commands',
      severity: 'error',
      comment:
        'Only the command layer (cli/commands/, cli/main.ts, cli/view-main.ts) knows commander; the work never does.',
      from: { path: '^cli/', pathNot: '^cli/(commands/|main[.]ts$|view-main[.]ts$)' },
      to: { path: '(^|/)node_modules/commander/' },
    },
    {
      name: 'parse-is-pure',
      severity: 'error',
      comment:
        'cli/parse/ is pure (text → snapshots | issues): it imports only itself, cli/model/ and schemas/ — no node:, no packages.',
      from: { path: '^cli/parse/' },
      to: { pathNot: '^(cli/parse/|cli/model/|schemas/)' },
    },
    {
      name: 'cli-model-is-a-leaf',
      severity: 'error',
      comment: 'cli/model/ imports only itself, schemas/ and node: built-ins.',
      from: { path: '^cli/model/' },
      to: { pathNot: '^(cli/model/|schemas/)', dependencyTypesNot: ['core'] },
    },
    {
      name: 'cli-core-not-features',
      severity: 'error',
      comment:
        'The core folders (model, parse, tracers, presets, store) never import the features built on them ' +
        '(record, import, report, serve, share) nor commands.',
      from: { path: '^cli/(model|parse|tracers|presets|store)/' },
      to: { path: CLI_FEATURES },
    },
    {
      name: 'cli-features-not-sideways',
      severity: 'error',
      comment:
        'report, serve and share are siblings: none imports another (what two need goes down into store/ or model/). ' +
        'import/ may use record/ (an import is written as a recording).',
      from: { path: '^cli/(report|serve|share)/' },
      to: { path: '^cli/(record|import|report|serve|share)/', pathNot: '^cli/$1/' },
    },
    {
      name: 'only-entry-imports-commands',
      severity: 'error',
      comment:
        'cli/commands/ is imported only by cli/main.ts and cli/view-main.ts (which register commands).',
      from: { path: '^cli/', pathNot: '^cli/(commands/|main[.]ts$|view-main[.]ts$)' },
      to: { path: '^cli/commands/' },
    },
    {
      name: 'viewer-model-is-a-leaf',
      severity: 'error',
      comment:
        'viewer/src/model/ (columnar grids, percentiles) imports only itself and schemas/: no load, render, state, ui, packages.',
      from: { path: '^viewer/src/model/' },
      to: { pathNot: '^(viewer/src/model/|schemas/)' },
    },
    {
      name: 'viewer-load-below-render-state-ui',
      severity: 'error',
      comment:
        'viewer/src/load/ (file | URL | live → Recording) imports model/ and schemas/ (and sql.js), never render/, state/, share/ or ui/.',
      from: { path: '^viewer/src/load/' },
      to: { path: '^viewer/src/(render|state|share|ui)/' },
    },
    {
      name: 'viewer-render-is-plain-ts',
      severity: 'error',
      comment:
        'viewer/src/render/ (plain TS canvas painters) imports model/ and schemas/, never load/, state/, share/, ui/ or svelte.',
      from: { path: '^viewer/src/render/' },
      to: { path: ['^viewer/src/(load|state|share|ui)/', '(^|/)node_modules/svelte/'] },
    },
    {
      name: 'viewer-state-not-ui',
      severity: 'error',
      comment:
        'viewer/src/state/ never imports ui/ or share/: components read state, not the other way round.',
      from: { path: '^viewer/src/state/' },
      to: { path: '^viewer/src/(ui|share)/' },
    },
    {
      name: 'viewer-share-not-ui-state',
      severity: 'error',
      comment:
        'viewer/src/share/ (page export) imports load/, model/, render/ and schemas/, never state/ or ui/.',
      from: { path: '^viewer/src/share/' },
      to: { path: '^viewer/src/(state|ui)/' },
    },
    {
      name: 'sqljs-only-in-load',
      severity: 'error',
      comment:
        'viewer/src/load/ is the only viewer folder that imports sql.js: the rest reads through its typed readers.',
      from: { path: '^viewer/', pathNot: '^viewer/src/load/' },
      to: { path: '(^|/)node_modules/sql[.]js/' },
    },
    {
      name: 'components-only-in-ui',
      severity: 'error',
      comment: 'Only viewer/src/ui/ and viewer/src/main.ts import .svelte components.',
      from: { pathNot: '^viewer/src/(ui/|main[.]ts$)' },
      to: { path: '[.]svelte$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.svelte', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
