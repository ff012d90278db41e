import { TypeOrmModule } from '@nestjs/typeorm';
import { FeatureModule } from 'nest-modulith';
import { BillingModule } from '../billing/index.js';
import { ImageGenerator } from './image-generator.js';
import { ImageProviderCredentials } from './image-provider.credentials.js';
import { LocalFileResultStore } from './local-file-result-store.js';
import { LocalImageGenerator } from './local-image-generator.js';
import { MediaFacade } from './media.facade.js';
import { MediaJobRunner } from './media-job-runner.js';
import { MediaJob } from './media-job.entity.js';
import { MediaJobStore } from './media-job-store.js';
import { MediaJobsController } from './media-jobs.controller.js';
import { MediaJobsService } from './media-jobs.service.js';
import { ResultStore } from './result-store.js';

@FeatureModule({
  name: 'media',
  imports: [TypeOrmModule.forFeature([MediaJob]), BillingModule],
  controllers: [MediaJobsController],
  providers: [
    MediaJobsService,
    MediaJobStore,
    MediaJobRunner,
    ImageProviderCredentials,
    // Pluggable parts: swap either binding (e.g. overrideProvider in tests, a model client, S3).
    { provide: ImageGenerator, useClass: LocalImageGenerator },
    { provide: ResultStore, useClass: LocalFileResultStore },
  ],
  facades: [{ provide: MediaFacade, useExisting: MediaJobsService }],
})
export class MediaModule {}
