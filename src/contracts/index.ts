// Public API of the `contracts` module: each module's contract, computed from its code, and its
// committed module.api.md.
//
//   const { contracts } = await loadContracts(model, { cacheFile: '.modulith-cache/contracts.json' });
//   const statuses = contractStatuses(rootDir, model, contracts);   // same | missing | changed | unreadable, with changes
//   writeContractFiles(rootDir, statuses);                          // `modulith contracts`
//
// loadContracts loads the TypeScript compiler only when a file a contract was computed from
// changed; the model, rendering and comparison (src/core/module-contract.ts, contract-changes.ts)
// need no TypeScript at all.
export { loadContracts, forgetContracts, type LoadContractsOptions, type LoadedContracts } from './load-contracts.js';
export { contractStatuses, writeContractFiles, describeChanges, entryDiff, contractFile, type ContractStatus } from './contract-files.js';
export { CONTRACT_RULES, contractViolations, CONTRACT_FIX } from './rules.js';
