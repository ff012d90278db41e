import type { BootViolation } from './verify-live-modules.js';

/** Thrown at boot when the live container breaks the declared module boundaries. */
export class ModuleVerificationError extends Error {
  constructor(readonly violations: BootViolation[]) {
    super(
      `nest-modulith: refusing to start, ${violations.every((v) => v.rule.endsWith('-config')) ? "the modules' declared config is missing or invalid" : 'the app breaks its module boundaries'} (${violations.length} problem${violations.length === 1 ? '' : 's'})\n` +
        violations.map((v) => `  [${v.rule}] ${v.module}: ${v.message}\n    fix: ${v.fix}`).join('\n'),
    );
    this.name = 'ModuleVerificationError';
  }
}
