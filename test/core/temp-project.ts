import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway project on disk: files written from a path -> content map, removed by `dispose`. */
export interface TempProject {
  dir: string;
  write(files: Record<string, string | object>): void;
  dispose(): void;
}

export function tempProject(files: Record<string, string | object> = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'modulith-core-'));
  const project: TempProject = {
    dir,
    write(more) {
      for (const [path, content] of Object.entries(more)) {
        const file = join(dir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      }
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
  project.write(files);
  return project;
}
