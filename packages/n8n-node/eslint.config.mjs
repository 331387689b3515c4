// n8n's own lint for community nodes: the flat config `n8n-node lint` runs (`@n8n/node-cli/eslint`, 0.48.3, cloud
// support on, as `"strict": true` demands), assembled from the same plugins. @n8n/node-cli itself is not installed
// because it pulls LangChain in through @n8n/ai-node-sdk. `npm run lint:n8n` must report 0 problems.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
  // what n8n-node lint sees in a starter package: the node, its credentials and package.json
  globalIgnores([
    'dist',
    '.build',
    'node_modules',
    'test',
    'resilience',
    'e2e',
    'bench',
    'scripts',
    'examples',
    '*.config.ts',
    '*.config.mjs',
  ]),
  {
    files: ['**/*.ts'],
    extends: [
      js.configs.recommended,
      tseslint.configs.recommended,
      communityNodesRecommended,
      importPlugin.configs['flat/recommended'],
    ],
    rules: {
      'prefer-spread': 'off',
      'no-console': 'error',
    },
  },
  {
    plugins: { 'n8n-nodes-base': n8nNodesPlugin },
    settings: {
      // in this monorepo core resolves to its TypeScript source (the "source" export condition); a standalone
      // package would resolve the built core the same way
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ conditionNames: ['source', 'types', 'import', 'require', 'node', 'default'] }),
      ],
    },
  },
  {
    files: ['package.json'],
    extends: [communityNodesRecommended],
    rules: {
      ...n8nNodesPlugin.configs.community.rules,
    },
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        extraFileExtensions: ['.json'],
      },
    },
  },
  {
    files: ['./credentials/**/*.ts'],
    rules: {
      ...n8nNodesPlugin.configs.credentials.rules,
      'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
      'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
    },
  },
  {
    files: ['./nodes/**/*.ts'],
    rules: {
      ...n8nNodesPlugin.configs.nodes.rules,
      'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
      'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
      'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
    },
  },
);
