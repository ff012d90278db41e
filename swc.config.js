// How this repository's TypeScript is turned into runnable ESM outside tsc: by Jest
// (jest.config.js) and by the loader that runs real app processes in tests and benchmarks
// (test/support/ts-loader.mjs). Decorator metadata is what Nest's dependency injection reads.
export const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};
