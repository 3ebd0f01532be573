// typescript-eslint strict + the import directions of docs/architecture.md.
// Keep the zones in step with the layout map there: core ← config ← contracts ←
// store/dispatch ← domains ← jobs/api/cli ← main.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const layer = (target, from, message) => ({ target, from, message });

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'test-results/**', 'web/dist/**'] },
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            layer('./src/core', './src/!(core)/**', 'core imports nothing of ours'),
            layer('./src/config', './src/!(core|config)/**', 'config may import only core'),
            layer(
              './src/contracts',
              './src/!(core|config|contracts)/**',
              'contracts: core/config only',
            ),
            layer(
              './src/store',
              './src/!(core|config|contracts|store)/**',
              'store sits below domains',
            ),
            layer(
              './src/dispatch',
              './src/!(core|config|contracts|dispatch)/**',
              'dispatch sits beside store: core/config/contracts only',
            ),
            layer(
              './src/domains',
              './src/@(api|cli|jobs|main.ts)/**',
              'domains sit below api/cli/jobs',
            ),
            layer('./src/domains', './src/main.ts', 'domains sit below main'),
            layer('./src/api', './src/@(cli|jobs)/**', 'api does not import cli or jobs'),
            layer('./src/cli', './src/@(api|store|domains)/**', 'the CLI talks to the API only'),
            layer('./src/client', './src/!(core|client)/**', 'the HTTP client: core types only'),
            layer(
              './web',
              './src/!(contracts|client|core)/**',
              'the console talks to the API only (contracts and the shared client)',
            ),
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers loosely; asserting on them is the check.
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
