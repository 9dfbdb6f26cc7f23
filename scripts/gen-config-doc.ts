import { readFileSync, writeFileSync } from 'node:fs';
import { replaceConfigTable } from '../src/config/doc.ts';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, replaceConfigTable(readFileSync(file, 'utf8')));
console.log('README.md configuration table regenerated');
