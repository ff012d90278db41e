// @modulith-covers leaks, core
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApplicationModules, type Violation } from '../../src/core/index.js';
import { findLeaks } from '../../src/leaks/index.js';
import { manifest, removeProject, writeProject } from './write-project.js';

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

function leaksOf(files: Record<string, string>, options: { tsconfig?: string; cacheFile?: string } = {}): Violation[] {
  const root = writeProject(files);
  roots.push(root);
  return findLeaks(loadApplicationModules(root), options);
}

/** The fields a baseline keys on, plus the line, for exact assertions. */
function brief(violations: Violation[]) {
  return violations.map((v) => ({ rule: v.rule, from: v.from, to: v.to, fromModule: v.fromModule, toModule: v.toModule, line: v.line }));
}

const INVOICE_ENTITY = `
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('invoices')
export class Invoice {
  @PrimaryGeneratedColumn() id!: number;
  @Column() amount!: number;
}
`;

/** billing: a module with an entity, a repository, an internal helper and a clean public API. */
const BILLING = {
  'modules/billing/module.json': manifest('billing'),
  'modules/billing/index.ts': `export { BillingFacade, type InvoiceView } from './billing.facade.js';\n`,
  'modules/billing/billing.facade.ts': `
export interface InvoiceView { id: number; amount: number }
export abstract class BillingFacade {
  abstract invoice(id: number): Promise<InvoiceView>;
}
`,
  'modules/billing/internal/invoice.entity.ts': INVOICE_ENTITY,
  'modules/billing/internal/tax.ts': `export function taxOf(amount: number): number { return amount * 0.2; }\nexport const RATE = 0.2;\n`,
};

describe('findLeaks: re-exported internals', () => {
  it('reports a direct re-export of another module internal, naming symbol and file', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': `export const ORDERS = 1;\nexport { taxOf } from '../billing/internal/tax.js';\n`,
    });
    expect(brief(violations)).toEqual([
      { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: 'modules/billing/internal/tax.ts', fromModule: 'orders', toModule: 'billing', line: 2 },
    ]);
    expect(violations[0].message).toContain('taxOf');
    expect(violations[0].message).toContain('modules/billing/internal/tax.ts');
    expect(violations[0].severity).toBe('error');
    expect(violations[0].fix).toMatch(/modules\/billing\/index\.ts/);
  });

  it('follows a chain of export * barrels into another module', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': `export { OrdersFacade } from './orders.facade.js';\nexport * from './api/index.js';\n`,
      'modules/orders/orders.facade.ts': `export abstract class OrdersFacade { abstract count(): Promise<number>; }\n`,
      'modules/orders/api/index.ts': `export * from './internal.js';\n`,
      'modules/orders/api/internal.ts': `export * from '../../billing/internal/tax.js';\n`,
    });
    expect(brief(violations)).toEqual([
      { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: 'modules/billing/internal/tax.ts', fromModule: 'orders', toModule: 'billing', line: 2 },
      { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: 'modules/billing/internal/tax.ts', fromModule: 'orders', toModule: 'billing', line: 2 },
    ]);
    expect(violations.map((v) => v.message.match(/re-exports (\w+)/)![1]).sort()).toEqual(['RATE', 'taxOf']);
  });

  it('sees through `export { x as y } from` and import-then-export aliases', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': [
        `import { RATE } from '../billing/internal/tax.js';`,
        `export { taxOf as computeTax } from '../billing/internal/tax.js';`,
        `export { RATE as TAX_RATE };`,
      ].join('\n'),
    });
    expect(brief(violations)).toEqual([
      { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: 'modules/billing/internal/tax.ts', fromModule: 'orders', toModule: 'billing', line: 2 },
      { rule: 'reexports-internals', from: 'modules/orders/index.ts', to: 'modules/billing/internal/tax.ts', fromModule: 'orders', toModule: 'billing', line: 3 },
    ]);
    expect(violations[0].message).toContain('taxOf (as computeTax)');
    expect(violations[1].message).toContain('RATE (as TAX_RATE)');
  });

  it('resolves tsconfig path aliases and follows extends chains', () => {
    const violations = leaksOf({
      ...BILLING,
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', experimentalDecorators: true, baseUrl: '.', paths: { '@billing/*': ['modules/billing/*'] } },
      }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: true } }),
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': `export * from '@billing/internal/tax.js';\n`,
    });
    expect(brief(violations).map((v) => [v.rule, v.to])).toEqual([
      ['reexports-internals', 'modules/billing/internal/tax.ts'],
      ['reexports-internals', 'modules/billing/internal/tax.ts'],
    ]);
  });

  it('allows re-exporting a declared dependency or shared module public API; reports an undeclared one once per module', () => {
    const files = {
      ...BILLING,
      'modules/kernel/module.json': manifest('kernel', [], { shared: true }),
      'modules/kernel/index.ts': `export type { Money } from './money.js';\n`,
      'modules/kernel/money.ts': `export interface Money { cents: number; currency: string }\n`,
      // billing's InvoiceView is declared in a private file but published by billing's index.ts
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': `export { BillingFacade, type InvoiceView } from '../billing/index.js';\nexport * from '../kernel/index.js';\n`,
      'modules/shipping/module.json': manifest('shipping'),
      'modules/shipping/index.ts': `export { BillingFacade, type InvoiceView } from '../billing/billing.facade.js';\n`,
    };
    const violations = leaksOf(files);
    expect(brief(violations)).toEqual([
      { rule: 'undeclared-dependency', from: 'modules/shipping/index.ts', to: 'modules/billing/index.ts', fromModule: 'shipping', toModule: 'billing', line: 1 },
    ]);
    expect(violations[0].message).toContain('BillingFacade, InvoiceView');
  });

  it('leaves a module re-exporting its own internals alone', () => {
    expect(
      leaksOf({
        ...BILLING,
        'modules/billing/index.ts': `export * from './billing.facade.js';\nexport { taxOf } from './internal/tax.js';\n`,
      }),
    ).toEqual([]);
  });
});

describe('findLeaks: TypeORM entities and repositories', () => {
  it('reports an entity exported from its own index', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/billing/index.ts': `export { BillingFacade } from './billing.facade.js';\nexport { Invoice } from './internal/invoice.entity.js';\n`,
    });
    expect(brief(violations)).toEqual([
      { rule: 'exposes-entity', from: 'modules/billing/index.ts', to: 'modules/billing/internal/invoice.entity.ts', fromModule: 'billing', toModule: 'billing', line: 2 },
    ]);
    expect(violations[0].message).toContain('Invoice, a TypeORM entity');
    expect(violations[0].fix).toBe("export a plain interface from billing's index.ts instead of Invoice and map the entity to it inside billing");
  });

  it('reports another module entity re-exported (as exposes-entity, not twice)', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': `export * from '../billing/internal/invoice.entity.js';\n`,
    });
    expect(brief(violations)).toEqual([
      { rule: 'exposes-entity', from: 'modules/orders/index.ts', to: 'modules/billing/internal/invoice.entity.ts', fromModule: 'orders', toModule: 'billing', line: 1 },
    ]);
  });

  it('recognises @Entity/@ViewEntity through a namespace import or a project barrel, and ignores a look-alike decorator', () => {
    const violations = leaksOf({
      'modules/stats/module.json': manifest('stats'),
      'modules/stats/index.ts': `export * from './a.js';\nexport * from './b.js';\nexport * from './c.js';\n`,
      'modules/stats/orm.ts': `export { ViewEntity as View } from 'typeorm';\n`,
      'modules/stats/a.ts': `import * as orm from 'typeorm';\n@orm.Entity()\nexport class Daily { id!: number }\n`,
      'modules/stats/b.ts': `import { View } from './orm.js';\n@View({ expression: 'select 1' })\nexport class Weekly { id!: number }\n`,
      'modules/stats/c.ts': `function Entity(): ClassDecorator { return () => undefined; }\n@Entity()\nexport class NotAnEntity { id!: number }\n`,
    });
    expect(brief(violations).map((v) => [v.rule, v.to, v.line])).toEqual([
      ['exposes-entity', 'modules/stats/a.ts', 1],
      ['exposes-entity', 'modules/stats/b.ts', 2],
    ]);
  });

  it('reports exported repositories: a Repository type alias, a typed value, a getRepository() value, a custom repository class, TypeORM re-exports', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/billing/index.ts': [
        `export { BillingFacade } from './billing.facade.js';`,
        `export type { InvoiceRepo } from './internal/repos.js';`,
        `export { invoices, lazyInvoices, InvoiceRepository } from './internal/repos.js';`,
        `export { EntityManager } from 'typeorm';`,
      ].join('\n'),
      'modules/billing/internal/repos.ts': `
import { DataSource, Repository } from 'typeorm';
import { Invoice } from './invoice.entity.js';
declare const dataSource: DataSource;
export type InvoiceRepo = Repository<Invoice>;
export const invoices: Repository<Invoice> = dataSource.getRepository(Invoice);
export const lazyInvoices = dataSource.getRepository(Invoice);
export class InvoiceRepository extends Repository<Invoice> {}
`,
    });
    expect(brief(violations).map((v) => [v.rule, v.to, v.line])).toEqual([
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 2],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 3],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 3],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 3],
      ['exposes-entity', 'typeorm', 4],
    ]);
    expect(violations.map((v) => v.message.match(/exports (\w+)/)![1]).sort()).toEqual([
      'EntityManager', 'InvoiceRepo', 'InvoiceRepository', 'invoices', 'lazyInvoices',
    ]);
    expect(violations[0].message).toContain('Repository<Invoice>');
  });

  it('reports facade methods returning or taking entities and repositories, naming the method', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/billing/billing.facade.ts': `
import type { Repository } from 'typeorm';
import type { Invoice } from './internal/invoice.entity.js';
export interface InvoiceView { id: number; amount: number; raw: Invoice }
export abstract class BillingFacade {
  abstract invoice(id: number): Promise<Invoice | undefined>;
  abstract all(): Promise<ReadonlyArray<{ page: Invoice[] }>>;
  abstract save(invoice: Invoice): Promise<void>;
  abstract repository(): Repository<Invoice>;
  abstract fine(id: number): Promise<number>;
  protected abstract hidden(): Invoice;
}
`,
    });
    expect(violations.map((v) => [v.rule, v.to, v.line, v.message.match(/through (.*?)(:|$)/)![1]]).sort((a, b) => String(a[3]).localeCompare(String(b[3])))).toEqual([
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 1, 'BillingFacade.all() (return type)'],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 1, 'BillingFacade.invoice() (return type)'],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 1, 'BillingFacade.repository() (return type)'],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 1, 'BillingFacade.save() (parameter invoice)'],
      ['exposes-entity', 'modules/billing/internal/invoice.entity.ts', 1, 'InvoiceView.raw (property type)'],
    ]);
    expect(violations.find((v) => v.message.includes('invoice()'))!.fix).toBe(
      "type BillingFacade.invoice() with a plain interface exported from billing's index.ts and map Invoice to it inside billing",
    );
  });

  it('reports public parameter properties of exported classes, not private ones', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/billing/index.ts': `export { BillingFacade } from './billing.facade.js';\nexport { InvoiceReader, InvoiceWriter } from './internal/readers.js';\n`,
      'modules/billing/internal/readers.ts': `
import { Repository } from 'typeorm';
import { Invoice } from './invoice.entity.js';
export class InvoiceReader { constructor(readonly invoices: Repository<Invoice>) {} }
export class InvoiceWriter { constructor(private readonly invoices: Repository<Invoice>, protected readonly other: Repository<Invoice>) {} }
`,
    });
    expect(violations.map((v) => [v.rule, v.to, v.line, v.message])).toEqual([
      [
        'exposes-entity',
        'modules/billing/internal/invoice.entity.ts',
        2,
        "billing's public API exposes a TypeORM Repository<Invoice> through InvoiceReader.invoices (property type): callers would reach billing's tables directly",
      ],
    ]);
  });

  it('reports a facade of one module leaking another module entity', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/orders/module.json': manifest('orders', ['billing']),
      'modules/orders/index.ts': `export * from './orders.facade.js';\n`,
      'modules/orders/orders.facade.ts': `import type { Invoice } from '../billing/internal/invoice.entity.js';\nexport abstract class OrdersFacade { abstract invoiceOf(order: string): Promise<Invoice>; }\n`,
    });
    expect(brief(violations)).toEqual([
      { rule: 'exposes-entity', from: 'modules/orders/index.ts', to: 'modules/billing/internal/invoice.entity.ts', fromModule: 'orders', toModule: 'billing', line: 1 },
    ]);
  });
});

describe('findLeaks: clean public APIs', () => {
  it('reports nothing for plain interfaces, DTO classes, enums, npm types, EntityManager parameters and facades over them', () => {
    const violations = leaksOf({
      ...BILLING,
      'modules/catalog/module.json': manifest('catalog', ['billing']),
      'modules/catalog/index.ts': `export * from './catalog.facade.js';\nexport * from './dto.js';\nexport { CatalogModule } from './catalog.module.js';\n`,
      'modules/catalog/dto.ts': `
import { IsString } from 'class-validator';
import type { InvoiceView } from '../billing/index.js';
export enum Category { Books = 'books', Games = 'games' }
export class CreateProductDto { @IsString() name!: string; category!: Category; invoice?: InvoiceView }
export interface ProductView { id: string; name: string; tags: string[]; price: { cents: number } }
export type ProductId = string & { readonly brand: unique symbol };
`,
      'modules/catalog/catalog.facade.ts': `
import type { Observable } from 'rxjs';
import type { Type } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CreateProductDto, ProductView, Category } from './dto.js';
export abstract class CatalogFacade {
  abstract create(dto: CreateProductDto): Promise<ProductView>;
  // Taking the caller's transaction (or lending it to a callback) is not exposing catalog's tables.
  abstract createIn(manager: EntityManager, dto: CreateProductDto): Promise<ProductView>;
  abstract inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
  abstract byCategory(category: Category): Observable<ProductView[]>;
  abstract handler(): Type<unknown>;
}
`,
      'modules/catalog/catalog.module.ts': `
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Product } from './internal/product.entity.js';
@Module({ imports: [TypeOrmModule.forFeature([Product])] })
export class CatalogModule {}
`,
      'modules/catalog/internal/product.entity.ts': `import { Entity, PrimaryColumn } from 'typeorm';\n@Entity()\nexport class Product { @PrimaryColumn() id!: string }\n`,
      'modules/catalog/internal/catalog.service.ts': `
import { Repository } from 'typeorm';
import { Product } from './product.entity.js';
export class CatalogService { constructor(private readonly products: Repository<Product>) {} }
`,
    });
    expect(violations).toEqual([]);
  });

  it('skips modules without an index.ts and entries that are not TypeScript', () => {
    expect(
      leaksOf({
        'modules/a/module.json': manifest('a'),
        'modules/a/internal.ts': INVOICE_ENTITY,
        'modules/b/module.json': manifest('b'),
        'modules/b/index.js': `export * from './x.js';\n`,
      }),
    ).toEqual([]);
  });
});

describe('findLeaks: cache', () => {
  it('reuses the result while the files read are unchanged and recomputes after an edit', () => {
    const root = writeProject({
      ...BILLING,
      'modules/billing/index.ts': `export { Invoice } from './internal/invoice.entity.js';\n`,
    });
    roots.push(root);
    const model = loadApplicationModules(root);
    const cacheFile = '.modulith-cache/leaks.json';
    const first = findLeaks(model, { cacheFile });
    expect(first).toHaveLength(1);
    // Tamper with the cached result: a hit returns it as stored.
    const path = join(root, cacheFile);
    const record = JSON.parse(readFileSync(path, 'utf8'));
    record.violations[0].message = 'from cache';
    writeFileSync(path, JSON.stringify(record));
    expect(findLeaks(model, { cacheFile })[0].message).toBe('from cache');
    // Editing a file the analysis read invalidates it.
    writeFileSync(join(root, 'modules/billing/internal/invoice.entity.ts'), `export class Invoice { id!: number }\n`);
    expect(findLeaks(model, { cacheFile })).toEqual([]);
  });
});
