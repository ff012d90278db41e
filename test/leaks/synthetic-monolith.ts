import { manifest } from './write-project.js';

/**
 * A synthetic monolith of `moduleCount` modules x `filesPerModule` files, shaped like a Nest app:
 * each module has a Nest module, a facade with DTOs, services, TypeORM entities and repositories,
 * internal helpers importing each other, and imports of its dependencies' public APIs.
 * The public APIs are clean except `leaky` modules, whose facade returns an entity.
 */
export function syntheticMonolith(moduleCount: number, filesPerModule: number, leaky: number[] = []): Record<string, string> {
  const files: Record<string, string> = {};
  const name = (i: number) => `m${String(i).padStart(2, '0')}`;
  for (let i = 0; i < moduleCount; i++) {
    const m = name(i);
    const deps = [i - 1, i - 2].filter((d) => d >= 0).map(name);
    const dir = `modules/${m}`;
    const P = m.toUpperCase();
    files[`${dir}/module.json`] = manifest(m, deps);
    files[`${dir}/index.ts`] = [
      `export { ${P}Module } from './${m}.module.js';`,
      `export { ${P}Facade } from './${m}.facade.js';`,
      `export * from './dto/index.js';`,
    ].join('\n');
    files[`${dir}/${m}.facade.ts`] = [
      `import type { ${P}View, Create${P}Dto } from './dto/index.js';`,
      leaky.includes(i) ? `import type { ${P}Entity0 } from './internal/entity-0.js';` : '',
      `export abstract class ${P}Facade {`,
      `  abstract create(dto: Create${P}Dto): Promise<${P}View>;`,
      `  abstract list(page: number): Promise<${P}View[]>;`,
      leaky.includes(i) ? `  abstract raw(id: number): Promise<${P}Entity0>;` : '',
      `}`,
    ].join('\n');
    files[`${dir}/dto/index.ts`] = `export * from './view.js';\nexport * from './create.js';\n`;
    files[`${dir}/dto/view.ts`] = `export interface ${P}View { id: number; name: string; tags: string[] }\nexport enum ${P}Status { Open = 'open', Closed = 'closed' }\n`;
    files[`${dir}/dto/create.ts`] = `import { ${P}Status } from './view.js';\nexport class Create${P}Dto { name!: string; status: ${P}Status = ${P}Status.Open }\n`;
    files[`${dir}/${m}.module.ts`] = [
      `import { Module } from '@nestjs/common';`,
      `import { TypeOrmModule } from '@nestjs/typeorm';`,
      `import { ${P}Facade } from './${m}.facade.js';`,
      `import { ${P}Service } from './internal/service-0.js';`,
      ...services(filesPerModule - 6).map((f) => `import { ${P}Service${f} } from './internal/service-${f}.js';`),
      ...deps.map((d) => `import { ${d.toUpperCase()}Module } from '../${d}/index.js';`),
      `import { ${P}Entity0 } from './internal/entity-0.js';`,
      `@Module({ imports: [TypeOrmModule.forFeature([${P}Entity0]), ${deps.map((d) => `${d.toUpperCase()}Module`).join(', ')}], providers: [${services(filesPerModule - 6).map((f) => `${P}Service${f}, `).join('')}{ provide: ${P}Facade, useClass: ${P}Service }], exports: [${P}Facade] })`,
      `export class ${P}Module {}`,
    ].join('\n');
    const rest = filesPerModule - 6;
    for (let f = 0; f < rest; f++) {
      const kind = f % 3;
      if (kind === 0) {
        files[`${dir}/internal/entity-${f}.ts`] = [
          `import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';`,
          `@Entity('${m}_${f}')`,
          `export class ${P}Entity${f} {`,
          `  @PrimaryGeneratedColumn() id!: number;`,
          `  @Column() name!: string;`,
          `  @Column({ nullable: true }) note?: string;`,
          `}`,
        ].join('\n');
      } else if (kind === 1) {
        const entity = f - 1;
        const depImport = deps[0] ? `import { ${deps[0].toUpperCase()}Facade } from '../../${deps[0]}/index.js';` : '';
        files[`${dir}/internal/service-${f === 1 ? 0 : f}.ts`] = [
          `import { Injectable } from '@nestjs/common';`,
          `import { InjectRepository } from '@nestjs/typeorm';`,
          `import { Repository } from 'typeorm';`,
          depImport,
          `import { ${P}Facade } from '../${m}.facade.js';`,
          `import type { ${P}View, Create${P}Dto } from '../dto/index.js';`,
          `import { ${P}Entity${entity} } from './entity-${entity}.js';`,
          `import { helper${f + 1} } from './helper-${f + 1}.js';`,
          `@Injectable()`,
          `export class ${P}Service${f === 1 ? '' : f} implements ${P}Facade {`,
          `  constructor(@InjectRepository(${P}Entity${entity}) private readonly repo: Repository<${P}Entity${entity}>${depImport ? `, private readonly dep: ${deps[0].toUpperCase()}Facade` : ''}) {}`,
          `  async create(dto: Create${P}Dto): Promise<${P}View> {`,
          `    const saved = await this.repo.save(this.repo.create({ name: helper${f + 1}(dto.name) }));`,
          `    return { id: saved.id, name: saved.name, tags: [] };`,
          `  }`,
          `  async list(page: number): Promise<${P}View[]> {`,
          `    const rows = await this.repo.find({ skip: page * 20, take: 20 });`,
          `    return rows.map((r) => ({ id: r.id, name: r.name, tags: [] }));`,
          `  }`,
          leaky.includes(i) ? `  async raw(id: number): Promise<any> { return this.repo.findOneBy({ id }); }` : '',
          `}`,
        ].join('\n');
      } else {
        files[`${dir}/internal/helper-${f}.ts`] = [
          `export function helper${f}(value: string): string {`,
          `  return value.trim().toLowerCase().replace(/\\s+/g, '-');`,
          `}`,
          `export const LIMIT_${f} = ${f};`,
        ].join('\n');
      }
    }
  }
  return files;
}

/** Indexes of the extra services (every third file after the first service). */
function services(rest: number): number[] {
  const out: number[] = [];
  for (let f = 4; f < rest; f += 3) out.push(f);
  return out;
}
