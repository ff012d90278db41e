import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  StreamableFile,
} from '@nestjs/common';
import { AcceptsApiKey, CurrentAccount, RequiresApiKey, type RequestIdentity } from '../kernel/index.js';
import { InsufficientCreditsError } from '../billing/index.js';
import type { MediaJobView } from './media.facade.js';
import { MediaJobsService } from './media-jobs.service.js';
import { SubmitJobDto } from './submit-job.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type JobResponse = Omit<MediaJobView, 'accountId'>;

/**
 * `/media/*`. Job ids are random UUIDs, so reading a job needs no key; a caller that does send a
 * key only sees its own jobs (another account's job is answered 404, as if it did not exist).
 */
@Controller('media/jobs')
export class MediaJobsController {
  constructor(private readonly jobs: MediaJobsService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequiresApiKey()
  async submit(@CurrentAccount() identity: RequestIdentity, @Body() body: SubmitJobDto): Promise<Pick<MediaJobView, 'id' | 'status'>> {
    try {
      const job = await this.jobs.submit({ accountId: identity.accountId, prompt: body.prompt, kind: body.kind });
      return { id: job.id, status: job.status };
    } catch (error) {
      if (InsufficientCreditsError.is(error)) {
        throw new HttpException({ statusCode: 402, error: 'Payment Required', message: error.message }, HttpStatus.PAYMENT_REQUIRED);
      }
      throw error;
    }
  }

  @Get(':id')
  @AcceptsApiKey()
  async get(@Param('id') id: string, @CurrentAccount() identity: RequestIdentity | undefined): Promise<JobResponse> {
    const { accountId: _owner, ...job } = await this.visibleJob(id, identity);
    return job;
  }

  @Get(':id/result')
  @AcceptsApiKey()
  async result(@Param('id') id: string, @CurrentAccount() identity: RequestIdentity | undefined): Promise<StreamableFile> {
    const job = await this.visibleJob(id, identity);
    if (job.status !== 'completed') throw new ConflictException(`media job ${id} is ${job.status}, not completed`);
    const png = await this.jobs.result(id);
    if (!png) throw new NotFoundException(`the result of media job ${id} is no longer stored`);
    return new StreamableFile(Buffer.from(png), { type: 'image/png', length: png.length });
  }

  private async visibleJob(id: string, identity: RequestIdentity | undefined): Promise<MediaJobView> {
    const job = UUID.test(id) ? await this.jobs.getJob(id) : null;
    if (!job || (identity && identity.accountId !== job.accountId)) throw new NotFoundException(`no media job ${id}`);
    return job;
  }
}
