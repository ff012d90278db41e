// This repository's boundary rules, generated from its module.json files by the framework itself
// (we eat our own food). `npx depcruise src modules --validate` and `modulith check` both read it.
import { modulithRules } from 'nest-modulith/depcruise';

export default modulithRules();
