// @modulith-covers contracts, core
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadApplicationModules, renderContract } from '../../src/core/index.js';
import { loadContracts } from '../../src/contracts/index.js';
import { removeProjects, writeFile } from '../boundaries/support/project.js';
import { BASE, edit, project } from './support/fixture.js';

afterAll(removeProjects);

// The contracts a warm cache gives (only the modules a change may touch computed again) must be
// exactly those computed from scratch, after every edit of a seeded random sequence: DTOs, event
// payloads and versions, controllers, listeners and publications appearing in files that had
// none, files added and deleted, barrels, bodies. A failure names the seed and the step.

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Edit = (root: string, step: number) => string;

const EDITS: Edit[] = [
  (root, step) => (edit(root, 'modules/billing/charge.dto.ts', ['accountId: string;', `accountId: string;\n  extra${step}?: number;`]), 'DTO field added'),
  (root, step) => (edit(root, 'modules/billing/dto/balance.ts', ['credits: ', `limit${step}: number;\n  credits: `]), 'private result type field added'),
  (root, step) => (edit(root, 'modules/billing/billing.service.ts', ['this.credits -= ', `this.credits -= ${step} - ${step} + `]), 'service body'),
  (root, step) => (writeFile(root, `modules/billing/internal/helper${step}.ts`, `export const helper${step} = ${step};\n`), 'plain file added'),
  (root, step) => {
    writeFile(
      root,
      `modules/orders/listener${step}.ts`,
      `import { OnModuleEvent } from 'nest-modulith/events';\nimport { InvoicePaid } from '../billing/index.js';\nexport class L${step} {\n  @OnModuleEvent(InvoicePaid, { id: 'orders.l${step}' })\n  async on(): Promise<void> {}\n}\n`,
    );
    return 'listener file added';
  },
  (root, step) => {
    writeFile(
      root,
      `modules/orders/internal/plain${step}.ts`,
      `export function plain${step}(): number {\n  return ${step};\n}\n`,
    );
    return 'plain orders file added';
  },
  (root, step) => {
    // A plain file of orders turns into a publisher of billing's event.
    const file = `modules/orders/internal/publisher.ts`;
    writeFile(root, file, `import { InvoicePaid } from '../../billing/index.js';\nexport function publish${step}(): unknown {\n  return new InvoicePaid('a', ${step});\n}\n`);
    return 'publication added in orders';
  },
  (root, step) => (edit(root, 'modules/billing/invoice-paid.event.ts', ['readonly amount: number,', `readonly amount: number,\n    readonly f${step}?: string,`]), 'event field added'),
  (root) => {
    const file = 'modules/billing/invoice-paid.event.ts';
    const text = readFileSync(join(root, file), 'utf8');
    edit(root, file, text.includes('version: 1') ? ['version: 1', 'version: 2'] : ['version: 2', 'version: 1']);
    return 'event version';
  },
  (root, step) => {
    writeFile(
      root,
      `modules/billing/c${step}.controller.ts`,
      `import { Controller, Get } from '@nestjs/common';\nimport type { ChargeInput } from './charge.dto.js';\n@Controller('c${step}')\nexport class C${step} {\n  @Get()\n  get(): ChargeInput | null {\n    return null;\n  }\n}\n`,
    );
    return 'controller file added';
  },
  (root) => {
    const file = 'modules/billing/internal/';
    for (let i = 0; i < 40; i++) {
      const path = `${file}helper${i}.ts`;
      if (existsSync(join(root, path))) {
        rmSync(join(root, path));
        return 'plain file deleted';
      }
    }
    return 'nothing to delete';
  },
  (root, step) => (edit(root, 'modules/billing/index.ts', ["export { BillingModule }", `export const V${step} = ${step};\nexport { BillingModule }`]), 'export added'),
  (root, step) => (writeFile(root, 'modules/billing/charge.dto.ts', `export interface ChargeInput {\n  accountId: string;\n  amount: number;\n  note${step % 3}?: string;\n}\n`), 'DTO rewritten'),
  (root, step) => {
    // An event declared in orders, owned by billing (`module: 'billing'`), constructed nowhere.
    writeFile(root, 'modules/orders/owned.event.ts', `import { ModuleEvent } from 'nest-modulith/events';\n@ModuleEvent({ name: 'billing.owned', version: ${step}, module: 'billing' })\nexport class Owned {\n  id!: string;\n}\n`);
    return 'event owned by billing declared in orders';
  },
  (root, step) => {
    // A file that was plain (no dependency of any contract) turns into a controller, or back.
    const file = 'modules/orders/internal/util.ts';
    const text = readFileSync(join(root, file), 'utf8');
    writeFile(root, file, text.includes('@Controller') ? UTIL : `import { Controller, Post } from '@nestjs/common';\n@Controller('orders')\nexport class Util${step} {\n  @Post(':id')\n  post(): void {}\n}\n${UTIL}`);
    return 'plain file <-> controller';
  },
  (root) => {
    // billing's index.ts stops (or starts again) exporting the event orders imports from it.
    const file = 'modules/billing/index.ts';
    const text = readFileSync(join(root, file), 'utf8');
    const line = "export { InvoicePaid } from './invoice-paid.event.js';";
    writeFile(root, file, text.includes(line) ? text.replace(line, `// ${line}`) : text.replace(`// ${line}`, line));
    return 'event export toggled in the index orders imports from';
  },
];

const UTIL = 'export function util(): number {\n  return 1;\n}\n';

async function contracts(root: string, cacheFile: string | undefined): Promise<Record<string, string>> {
  const model = loadApplicationModules(root, { roots: ['modules'] });
  const loaded = await loadContracts(model, cacheFile ? { cacheFile } : {});
  return Object.fromEntries([...loaded.contracts].map(([name, c]) => [name, renderContract(c)]));
}

describe('incremental contracts equal contracts computed from scratch', () => {
  it.each([[1], [7], [42]])('after each of 25 random edits (seed %i)', async (seed) => {
    const root = project({ ...BASE, 'modules/orders/internal/util.ts': UTIL });
    const next = random(seed);
    const cacheFile = join(root, '.modulith-cache/contracts.json');
    let cold = 0;
    expect(await contracts(root, cacheFile)).toEqual(await contracts(root, join(root, `.fresh-0/contracts.json`)));
    for (let step = 1; step <= 25; step++) {
      const did = EDITS[Math.floor(next() * EDITS.length)](root, step);
      const incremental = await contracts(root, cacheFile);
      // A cache file no run has written: computed from scratch.
      const expected = await contracts(root, join(root, `.fresh-${step}/contracts.json`));
      expect({ seed, step, did, incremental }).toEqual({ seed, step, did, incremental: expected });
      cold++;
    }
    expect(cold).toBe(25);
  });
});
