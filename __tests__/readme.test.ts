/** README.md's generated parts are current: the inputs/outputs tables equal what action.yml says. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { actionTables, readPart } from '../scripts/lib/readmeParts.js';
import { ROOT } from './support/actionProcess.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('the inputs and outputs tables are generated from action.yml (run npm run readme after changing it)', () => {
    expect(readPart(readme, 'action-tables')).toBe(actionTables(readFileSync(join(ROOT, 'action.yml'), 'utf8')));
  });

  it('opens with what a team gets, the uses: snippet and the two-command quick start', () => {
    const head = readme.slice(0, readme.indexOf('## Using the action'));
    expect(head).toContain('## What a team gets');
    expect(readPart(readme, 'sample-digest')).toMatch(/\*\*Rule:\*\* /);
    expect(readPart(readme, 'sample-agents')).toContain('<!-- mycelium:begin -->');
    expect(head).toMatch(/- uses: mycelium-org\/mycelium@v1/);
    expect(head).toMatch(/```sh\nnpm ci\nnpm run example\n```/);
    expect(head).toContain('`npm test`');
  });
});
