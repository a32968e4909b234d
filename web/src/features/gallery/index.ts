/** What other features may use from the gallery: picking one of my photos (offers in exchange). */
export { PhotoPicker } from './PhotoPicker';
