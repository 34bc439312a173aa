// How long the audit log is kept at least, and why: 网络安全法 (the
// Cybersecurity Law of the PRC) Art. 21(3) has network operators keep
// network logs no less than six months. The config refuses a shorter
// audit.retention; pruning refuses it again.
export const MIN_RETENTION_DAYS = 180;
export const RETENTION_FLOOR_REASON = 'the Cybersecurity Law of the PRC (网络安全法) Art. 21 requires network logs to be kept no less than six months';
