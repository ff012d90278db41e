import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { valueDepthExceeds } from 'nest-modulith';

type Request = IncomingMessage & { body?: unknown };
type NextFunction = (error?: unknown) => void;

/** How large and how deeply nested a request body may be. The API's bodies are small and flat. */
export interface BodyLimits {
  /** Bytes of body (JSON or form), checked while reading: a larger one is a 413. */
  maxBytes: number;
  /** Nesting of arrays and objects in a JSON body (the body itself is level 1): deeper is a 400. */
  maxDepth: number;
}

export const BODY_LIMITS: BodyLimits = { maxBytes: 100 * 1024, maxDepth: 32 };

/**
 * Bounded request bodies, before any guard, pipe or validation sees them: a body larger than
 * `maxBytes` is a 413 and a JSON body nested deeper than `maxDepth` a 400, each with a JSON
 * message in Nest's error shape. (Validation walks a body recursively: a body nested a few
 * thousand levels deep used to overflow the stack there, a 500.) Call before app.init(): the
 * parsers registered here replace Nest's default ones.
 */
export function useBodyLimits(app: NestExpressApplication, limits: BodyLimits = BODY_LIMITS): void {
  app.useBodyParser('json', { limit: limits.maxBytes });
  app.useBodyParser('urlencoded', { limit: limits.maxBytes, extended: true });
  app.use((req: Request, res: ServerResponse, next: NextFunction) => {
    // JSON.parse itself does not recurse; the check walks the parsed body without recursion either.
    if (req.body !== null && typeof req.body === 'object' && valueDepthExceeds(req.body, limits.maxDepth)) {
      return answer(res, 400, `the JSON body is nested deeper than ${limits.maxDepth} levels`);
    }
    next();
  });
  app.use((error: unknown, _req: Request, res: ServerResponse, next: NextFunction) => {
    if ((error as { type?: unknown } | null)?.type === 'entity.too.large') return answer(res, 413, `the request body is larger than ${limits.maxBytes / 1024} kB`);
    next(error);
  });
}

function answer(res: ServerResponse, status: 400 | 413, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ statusCode: status, error: status === 400 ? 'Bad Request' : 'Payload Too Large', message }));
}
