import { Injectable } from '@nestjs/common';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Finds outside programs and files the tool jobs need (tests replace it). */
@Injectable()
export class ToolLocator {
  /** The full path of an executable on PATH, or null. */
  which(command: string): string | null {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, command);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
    return null;
  }

  fileExists(path: string): boolean {
    return existsSync(path);
  }
}
