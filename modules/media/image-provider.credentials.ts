import { Injectable } from '@nestjs/common';
import { ModuleConfig } from 'nest-modulith';

/**
 * The image provider's credentials (module.json "externals": image-provider), read through
 * media's own ModuleConfig: IMAGE_PROVIDER_API_KEY, a secret declared in media's module.json.
 * The local generator needs none; a real model client (an ImageGenerator) injects this.
 */
@Injectable()
export class ImageProviderCredentials {
  constructor(private readonly config: ModuleConfig) {}

  /** The API key, or undefined when none is set (the local generator runs). Never log it. */
  apiKey(): string | undefined {
    return this.config.get<string>('IMAGE_PROVIDER_API_KEY');
  }
}
