import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const FILE_ENCODINGS = ['utf8', 'base64'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

export class SandboxFileDto {
  /**
   * Path inside the workspace: relative (`src/app.js`) or under `/workspace`. `..`, other absolute
   * paths and paths through symbolic links are refused with 400 SANDBOX_UPLOAD_INVALID.
   * @example "test.js"
   */
  @IsString()
  @MaxLength(1024)
  path: string;

  /** File content, as text or base64 (see encoding). @example "console.log('hello')" */
  @IsString()
  content: string;

  /** How `content` is encoded; default utf8. */
  @ApiProperty({ enum: FILE_ENCODINGS, enumName: 'FileEncoding', required: false, default: 'utf8' })
  @IsOptional()
  @IsIn(FILE_ENCODINGS)
  encoding?: FileEncoding;
}

export function toUploadFiles(files: SandboxFileDto[] | undefined): { path: string; content: Buffer }[] {
  return (files ?? []).map((file) => ({
    path: file.path,
    content: Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8'),
  }));
}
