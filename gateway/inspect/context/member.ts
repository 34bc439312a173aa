// One inspector of a content (a file, an archive member, a decoded run): fed its
// bytes in order, then finished or aborted. Every reader that hands content on
// hands it to one of these.

export interface Member {
  update(chunk: Buffer): Promise<void>;
  finish(): Promise<void>;
  abort(): void;
  /** A zip found inside another file's bytes (ZipHost.hosted): its offset just past its end of central directory record once read, else -1. */
  readonly ended?: number;
}
