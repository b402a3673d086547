import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /api/public/v1/link`: the code from the viewer's dashboard and a name for the device. */
export class LinkDeviceDto {
  @IsString({ message: 'code is required (the XXXX-XXXX code from your dashboard)' })
  @MaxLength(20, { message: 'code is too long' })
  code!: string;

  @IsOptional()
  @IsString({ message: 'name must be text' })
  @MaxLength(200, { message: 'name is too long' })
  name?: string;
}
