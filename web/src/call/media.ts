// The camera and microphone of a private show's call, and why they did not start, in
// words. No DOM: the call page shows the stream, or the problem.

import { UserError } from '../wallet';

/** Why the camera did not start, in words. */
export function mediaProblem(error: unknown): string {
  const name = (error as DOMException)?.name;
  const rest = 'You still see and hear the other side; they cannot see or hear you.';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return `Camera and microphone access was denied. Allow them for this site in the browser (the camera icon in the address bar), then reload this page. ${rest}`;
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return `No camera or microphone was found. ${rest}`;
  if (name === 'NotReadableError' || name === 'AbortError') {
    return `The camera or microphone is in use by another application. Close it, then reload this page. ${rest}`;
  }
  return `The camera could not start (${(error as Error)?.message ?? error}). ${rest}`;
}

/** The person's camera and microphone; a camera alone when there is no microphone. */
export async function localMedia(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new UserError('This page needs HTTPS (or localhost) to use the camera. You still see and hear the other side; they cannot see or hear you.');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  } catch (error) {
    if ((error as DOMException)?.name !== 'NotFoundError') throw error;
    return navigator.mediaDevices.getUserMedia({ video: true });
  }
}
