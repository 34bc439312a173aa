// Error codes that mean this machine cannot write into its output folder
// (full, read-only, not permitted, out of file handles), not that the
// transfer is bad: `ferry receive` stops with the folder named, and
// `ferry serve-inbox` answers 507 so the gateway tries again later.
export const LOCAL_WRITE_ERRORS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS', 'EACCES', 'EPERM', 'EFBIG', 'EMFILE', 'ENFILE']);
