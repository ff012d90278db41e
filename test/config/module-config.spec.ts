// @modulith-covers runtime
import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApplicationModules, Facade, FeatureModule, ModuleConfig, ModulithModule, ModuleVerificationError, restoreModule, type ModulithEnv, type Topology } from 'nest-modulith';
import { tempProject, type TempProject } from '../core/temp-project.js';
import { brokerOptions, uniqueNamespace } from '../remote/support/apps.js';
import { describeWhen, natsUnavailable } from '../remote/support/nats.js';

// Each feature module reads its own declared variables (module.json "config") through its own
// ModuleConfig; the process refuses to boot without the required variables of the modules it hosts.

@Facade<MediaFacade>({ generationMs: true })
abstract class MediaFacade {
  abstract generationMs(): Promise<number>;
}
@Injectable()
class MediaService implements MediaFacade {
  constructor(readonly config: ModuleConfig) {}
  async generationMs(): Promise<number> {
    return this.config.getOrThrow<number>('MEDIA_GENERATION_MS');
  }
}
@FeatureModule({ name: 'media', facades: [{ provide: MediaFacade, useClass: MediaService }] })
class MediaModule {}

@Facade<AccountsFacade>({ startingCredits: true })
abstract class AccountsFacade {
  abstract startingCredits(): Promise<number>;
}
@Injectable()
class AccountsService implements AccountsFacade {
  constructor(
    readonly config: ModuleConfig,
    readonly media: MediaFacade,
  ) {}
  async startingCredits(): Promise<number> {
    return this.config.getOrThrow<number>('STARTING_CREDITS');
  }
}
@FeatureModule({ name: 'accounts', imports: [MediaModule], facades: [{ provide: AccountsFacade, useClass: AccountsService }] })
class AccountsModule {}

const MODULES: Array<Type<unknown>> = [MediaModule, AccountsModule];

let project: TempProject;
beforeAll(() => {
  project = tempProject({
    'modules/media/module.json': {
      name: 'media',
      config: {
        MEDIA_GENERATION_MS: { description: 'how long one image takes', type: 'integer', default: '200' },
        MEDIA_BUCKET: { description: 'where results are stored', required: true },
        MEDIA_PROVIDER_URL: { description: 'image provider endpoint with its credential', type: 'url', secret: true },
        MEDIA_TAGS: { description: 'tags on every image', type: 'list' },
        MEDIA_FAST: { description: 'skip the slow path', type: 'boolean' },
      },
    },
    'modules/media/index.ts': 'export {};',
    'modules/accounts/module.json': {
      name: 'accounts',
      dependsOn: ['media'],
      config: {
        STARTING_CREDITS: { description: 'credits of a new account', type: 'integer', required: true },
        ACCOUNTS_API_SECRET: { description: 'signs API keys', secret: true, required: true },
      },
    },
    'modules/accounts/index.ts': 'export {};',
  });
});
afterAll(() => project.dispose());

const FULL_ENV: ModulithEnv = { MEDIA_BUCKET: 'images', STARTING_CREDITS: '7', ACCOUNTS_API_SECRET: 'hunter2', MEDIA_TAGS: 'a, b,,c', MEDIA_FAST: 'yes' };

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const type of MODULES) restoreModule(type);
});

async function boot(env: ModulithEnv, topology: Topology = {}): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ModulithModule.forRoot({ modules: MODULES, rootDir: project.dir, env, topology })],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

function bootError(env: ModulithEnv, topology: Topology = {}): ModuleVerificationError {
  try {
    ModulithModule.forRoot({ modules: MODULES, rootDir: project.dir, env, topology });
  } catch (error) {
    expect(error).toBeInstanceOf(ModuleVerificationError);
    return error as ModuleVerificationError;
  }
  throw new Error('expected the boot to be refused');
}

/** The ModuleConfig of a module: resolved through its facade's implementation. */
function configOf(running: INestApplication, module: 'media' | 'accounts'): ModuleConfig {
  return module === 'media' ? (running.get(MediaFacade, { strict: false }) as MediaService).config : (running.get(AccountsFacade, { strict: false }) as AccountsService).config;
}

describe('ModuleConfig', () => {
  it("gives each module its own instance reading its own declared variables, parsed by type, from forRoot's env", async () => {
    const running = await boot({ ...FULL_ENV, MEDIA_GENERATION_MS: ' 25 ' });
    const media = configOf(running, 'media');
    const accounts = configOf(running, 'accounts');
    expect(media).not.toBe(accounts);
    expect(media.module).toBe('media');
    expect(accounts.module).toBe('accounts');
    await expect(running.get(MediaFacade, { strict: false }).generationMs()).resolves.toBe(25);
    await expect(running.get(AccountsFacade, { strict: false }).startingCredits()).resolves.toBe(7);
    expect(media.get('MEDIA_BUCKET')).toBe('images');
    expect(media.get('MEDIA_TAGS')).toEqual(['a', 'b', 'c']);
    expect(media.get('MEDIA_FAST')).toBe(true);
    expect(media.get('MEDIA_PROVIDER_URL')).toBeUndefined();
    expect(media.has('MEDIA_PROVIDER_URL')).toBe(false);
    expect(() => media.getOrThrow('MEDIA_PROVIDER_URL')).toThrow('module media needs MEDIA_PROVIDER_URL (image provider endpoint with its credential), which is not set');
    expect(accounts.get('ACCOUNTS_API_SECRET')).toBe('hunter2');
  });

  it('applies the declared default when the variable is unset or empty', async () => {
    const running = await boot({ ...FULL_ENV, MEDIA_GENERATION_MS: '' });
    expect(configOf(running, 'media').get('MEDIA_GENERATION_MS')).toBe(200);
  });

  it("refuses another module's variable, naming the owner and the fix", async () => {
    const running = await boot(FULL_ENV);
    expect(() => configOf(running, 'media').get('STARTING_CREDITS')).toThrow(
      "module media reads STARTING_CREDITS, which module accounts declares (modules/accounts/module.json); a module reads only its own variables: ask accounts's facade, or declare STARTING_CREDITS in modules/media/module.json \"config\" too",
    );
    expect(() => configOf(running, 'accounts').get('MEDIA_BUCKET')).toThrow('which module media declares');
  });

  it('refuses an undeclared variable even when the environment has it, naming the module.json to declare it in', async () => {
    const running = await boot({ ...FULL_ENV, HOME: '/root' });
    expect(() => configOf(running, 'media').get('HOME')).toThrow('module media reads HOME, which it does not declare; declare it in modules/media/module.json "config"');
    // Odd names from code are only strings: shown printable, never evaluated.
    expect(() => configOf(running, 'media').get('__proto__')).toThrow('reads __proto__, which it does not declare');
    expect(() => configOf(running, 'media').get('x\u001b[31m')).toThrow('reads x?[31m, which it does not declare');
  });

  it('reports a value that does not parse with the expected type, never the value of a secret', async () => {
    const running = await boot(FULL_ENV);
    // A ModuleConfig reads its env on each get: built here on an env that changes.
    const env: Record<string, string> = { ...FULL_ENV, MEDIA_GENERATION_MS: 'fast' };
    const second = new ModuleConfig('media', running.get(ApplicationModules), env);
    expect(() => second.get('MEDIA_GENERATION_MS')).toThrow('module media: MEDIA_GENERATION_MS is not a whole number (expected an integer)');
    env.MEDIA_PROVIDER_URL = 'not-a-url-hunter2';
    let message = '';
    try {
      second.get('MEDIA_PROVIDER_URL');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MEDIA_PROVIDER_URL is not a URL (expected a url; the value is secret and not shown)');
    expect(message).not.toContain('hunter2');
  });
});

describe('boot refusal', () => {
  it('lists every missing required variable and every unparsable one of the hosted modules, secrets by name only', () => {
    const error = bootError({ MEDIA_GENERATION_MS: 'soon', MEDIA_PROVIDER_URL: 'hunter2-not-a-url' });
    expect(error.violations.map((v) => `${v.rule} ${v.module} ${v.message}`)).toEqual([
      'missing-config accounts needs ACCOUNTS_API_SECRET (signs API keys; secret), which is not set',
      'missing-config accounts needs STARTING_CREDITS (credits of a new account), which is not set',
      'missing-config media needs MEDIA_BUCKET (where results are stored), which is not set',
      'invalid-config media MEDIA_GENERATION_MS (how long one image takes) is not a whole number (expected an integer)',
      'invalid-config media MEDIA_PROVIDER_URL (image provider endpoint with its credential; secret) is not a URL (expected a url; the value is secret and not shown)',
    ]);
    expect(error.message).toContain("nest-modulith: refusing to start, the modules' declared config is missing or invalid (5 problems)");
    expect(error.message).toContain('fix: set MEDIA_BUCKET in the environment of the process that hosts media (declared in modules/media/module.json)');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('soon');
  });

  it('boots when every required variable is set', async () => {
    await expect(boot(FULL_ENV)).resolves.toBeDefined();
  });

  it('reads process.env when forRoot is given no env', () => {
    const saved = process.env.STARTING_CREDITS;
    process.env.STARTING_CREDITS = 'many';
    try {
      let error: ModuleVerificationError | undefined;
      try {
        ModulithModule.forRoot({ modules: MODULES, rootDir: project.dir });
      } catch (caught) {
        error = caught as ModuleVerificationError;
      }
      expect(error?.violations.map((v) => `${v.rule} ${v.module} ${v.message.split(' ')[0]}`)).toContain('invalid-config accounts STARTING_CREDITS');
    } finally {
      if (saved === undefined) delete process.env.STARTING_CREDITS;
      else process.env.STARTING_CREDITS = saved;
    }
  });
});

describe('boot refusal per topology (media extracted)', () => {
  // Placement alone decides which variables a process needs: these do not connect to the broker.
  const broker = brokerOptions(uniqueNamespace('config'));
  const ACCOUNTS_ONLY: ModulithEnv = { STARTING_CREDITS: '7', ACCOUNTS_API_SECRET: 'hunter2' };

  it("the monolith with media remote does not need media's required variable", () => {
    expect(() => ModulithModule.forRoot({ modules: MODULES, rootDir: project.dir, env: ACCOUNTS_ONLY, topology: { remote: ['media'], broker } })).not.toThrow();
    // ... but the all-in-one monolith does.
    expect(bootError(ACCOUNTS_ONLY).violations.map((v) => `${v.module} ${v.message}`)).toEqual(['media needs MEDIA_BUCKET (where results are stored), which is not set']);
  });

  it("the media process needs media's variables, and not accounts'", () => {
    const error = bootError({}, { serve: ['media'], broker });
    expect(error.violations.map((v) => `${v.rule} ${v.module} ${v.message}`)).toEqual(['missing-config media needs MEDIA_BUCKET (where results are stored), which is not set']);
    expect(() => ModulithModule.forRoot({ modules: MODULES, rootDir: project.dir, env: { MEDIA_BUCKET: 'images' }, topology: { serve: ['media'], broker } })).not.toThrow();
  });
});

describeWhen(await natsUnavailable(), 'the extracted-media topology, booted over a real broker', () => {
  it('boots the monolith without media variables, and the media process with them; each ModuleConfig reads its own', async () => {
    const namespace = uniqueNamespace('config');
    const mediaProcess = await Test.createTestingModule({
      imports: [ModulithModule.forRoot({ modules: MODULES, rootDir: project.dir, env: { MEDIA_BUCKET: 'images', MEDIA_GENERATION_MS: '30' }, topology: { serve: ['media'], broker: brokerOptions(namespace) } })],
    }).compile();
    const media = mediaProcess.createNestApplication({ logger: false });
    await media.init();
    try {
      const running = await boot({ STARTING_CREDITS: '9', ACCOUNTS_API_SECRET: 'x' }, { remote: ['media'], broker: brokerOptions(namespace) });
      await expect(running.get(AccountsFacade, { strict: false }).startingCredits()).resolves.toBe(9);
      // The facade call crosses to the media process, whose ModuleConfig reads its own env.
      await expect((running.get(AccountsFacade, { strict: false }) as AccountsService).media.generationMs()).resolves.toBe(30);
    } finally {
      await media.close();
    }
  });
});
