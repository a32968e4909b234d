// Lint only the import direction and component size (../CONTRIBUTING.md, "Web app");
// formatting is Prettier's job.
import tsParser from '@typescript-eslint/parser';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const FEATURES = ['account', 'exchange', 'gallery', 'studio'];
const SHARED = ['./src/api', './src/components', './src/i18n', './src/lib', './src/test'];
const APP = ['./src/App.tsx', './src/main.tsx'];

// A feature imports its own files, and another feature only through that feature's index.ts.
const featureZones = FEATURES.map((feature) => ({
  target: `./src/features/${feature}`,
  from: './src/features',
  except: [`./${feature}`, ...FEATURES.filter((f) => f !== feature).map((f) => `./${f}/index.ts`)],
  message: 'Import another feature only through its index.ts.',
}));

// Shared code never depends on a feature or on the app shell that mounts the features.
const sharedZones = [
  { target: SHARED, from: './src/features', message: 'Shared code must not import a feature.' },
  { target: SHARED, from: APP, message: 'Shared code must not import the app shell.' },
];

// Features are mounted by App.tsx, never the other way round (tests may mount the whole app).
const appZone = {
  target: './src/features',
  from: APP,
  message: 'A feature must not import the app shell.',
};

const base = {
  languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
  plugins: { 'import-x': importX },
  settings: {
    'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
  },
  linterOptions: { reportUnusedDisableDirectives: 'off' },
};

const TESTS = ['src/**/*.test.{ts,tsx}', 'src/test/**'];

export default [
  { ignores: ['dist/', 'node_modules/', 'src/api/schema.ts'] },
  {
    ...base,
    files: ['src/**/*.{ts,tsx}'],
    ignores: TESTS,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [...featureZones, ...sharedZones, appZone] },
      ],
    },
  },
  // A component past ~250 lines owns more than one job: split it into hooks and small components.
  { files: ['src/**/*.tsx'], ignores: TESTS, rules: { 'max-lines': ['error', { max: 250 }] } },
  {
    ...base,
    files: TESTS,
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [...featureZones, ...sharedZones] }],
    },
  },
];
