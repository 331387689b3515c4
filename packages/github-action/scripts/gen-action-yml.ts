/** Writes action.yml and the README's input/output tables from core's registry (see src/action-yml.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionYml, withReadmeTables } from '../src/action-yml.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, 'action.yml'), actionYml());
const readme = join(root, 'README.md');
writeFileSync(readme, withReadmeTables(readFileSync(readme, 'utf8')));
console.log('wrote action.yml and the README tables');
