/**
 * A file sent with a message (a CSV for `cohort enrol`). The channel adapter knows where it is
 * and how to fetch it (Teams: a SharePoint download URL; Slack: url_private_download with the
 * bot token); the core only asks for its text, and only in the route that wants it, after
 * checking who sent it.
 */
export interface UploadedFile {
  /** The file name as the sender sees it. */
  name: string;
  read(): Promise<UploadRead>;
}

/** "too-big": over the size the adapter accepts; "not-csv": another kind of file, or not text; "download-failed": the host refused, timed out or is not allowed. */
export type UploadFailure = 'too-big' | 'not-csv' | 'download-failed';

export type UploadRead = { ok: true; text: string } | { ok: false; failure: UploadFailure };

/** Largest uploaded list read (500 addresses need far less). */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
