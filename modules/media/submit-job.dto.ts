import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { MediaKind } from './media.facade.js';

export const MEDIA_KINDS: readonly MediaKind[] = ['image'];

export class SubmitJobDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  prompt: string;

  @IsIn(MEDIA_KINDS)
  kind: MediaKind;
}
