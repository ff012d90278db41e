// Public API of media-events: the event contracts of media, shared ("shared": true) so any
// module may listen without declaring a dependency on media.
export { MediaJobCompleted, MediaJobFailed, type MediaJobOutcome } from './media-job-events.js';
