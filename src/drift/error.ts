/** A metadata file drift cannot use: said in one line, with the file's name (exit 2). */
export class MetadataError extends Error {
  override readonly name = 'MetadataError';
}
