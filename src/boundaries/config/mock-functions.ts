/**
 * Test-double calls that name a module by path. dependency-cruiser extracts them as dependencies
 * once they are listed in `exoticRequireStrings` (its "exotic require" extraction), so the same
 * resolution that handles imports (aliases, `.js` extensions, folder index) handles them too.
 */
export const MOCK_FUNCTIONS = [
  'jest.mock',
  'jest.doMock',
  'jest.unstable_mockModule',
  'jest.setMock',
  'jest.requireActual',
  'jest.requireMock',
  'jest.createMockFromModule',
  'vi.mock',
  'vi.doMock',
  'vi.importActual',
  'vi.importMock',
];

export const MOCK_REGEX = `^(${MOCK_FUNCTIONS.map((f) => f.replace('.', '\\.')).join('|')})$`;

export function isMockCall(exoticRequire: string | undefined): boolean {
  return exoticRequire !== undefined && MOCK_FUNCTIONS.includes(exoticRequire);
}
