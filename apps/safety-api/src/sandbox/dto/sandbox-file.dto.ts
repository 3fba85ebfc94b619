import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';

export const FILE_ENCODINGS = ['utf8', 'base64'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Node's base64 decoder skips what is not base64 ("!!!" became an empty file): such content is refused instead. */
function IsBase64WhenDeclared(): PropertyDecorator {
  return ValidateBy({
    name: 'isBase64WhenDeclared',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as { encoding?: string }).encoding !== 'base64' ||
        (typeof value === 'string' && BASE64.test(value)),
      defaultMessage: () => 'content must be base64 (RFC 4648, padded) when encoding is base64',
    },
  });
}

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
  @IsBase64WhenDeclared()
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
