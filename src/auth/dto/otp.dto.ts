import { IsOptional, IsString } from 'class-validator';

/** Blank or missing fields are answered by the service with the old service's messages. */
export class OtpRequestDto {
  @IsOptional() @IsString() username?: string;
}

export class OtpVerifyDto {
  @IsOptional() @IsString() username?: string;
  @IsOptional() @IsString() code?: string;
}
