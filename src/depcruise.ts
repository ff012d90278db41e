// `nest-modulith/depcruise`: the dependency-cruiser configuration of a modular monolith, generated
// from its module.json files. A project's whole .dependency-cruiser.js:
//   module.exports = require('nest-modulith/depcruise').modulithRules();                  (CommonJS)
//   import { modulithRules } from 'nest-modulith/depcruise'; export default modulithRules();  (ESM)
export { modulithRules, cruiseOptionsFor, MODULITH_OPTIONS, type ModulithConfiguration, type ModulithRulesOptions } from './boundaries/index.js';
