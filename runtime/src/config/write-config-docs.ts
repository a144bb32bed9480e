// `npm run docs:config`: rewrites the configuration table in README.md from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceConfigTable } from './config-docs.ts';

const readme = new URL('../../../README.md', import.meta.url);
writeFileSync(readme, replaceConfigTable(readFileSync(readme, 'utf8')));
console.log('README.md: configuration table updated');
