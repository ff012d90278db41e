import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateAccountDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  // Only its form here: AccountsService checks the URL itself (http/https, no credentials, a
  // public address unless WEBHOOK_ALLOWED_HOSTS allows it) and answers 400 with the reason.
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  webhookUrl?: string;
}
